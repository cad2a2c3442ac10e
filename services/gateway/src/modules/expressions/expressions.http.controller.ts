import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdsyncError } from '@idsync/contracts';
import { compileExpression, IGNORE_FLOW, type AttributeValues } from '@idsync/expressions';
import { Roles } from '../../auth/roles.decorator';

interface EvaluateBody {
  expression?: string;
  input?: Record<string, string | string[] | null>;
}

/** Test an attribute-mapping expression against a sample object before putting it in a job. */
@ApiTags('expressions')
@ApiBearerAuth()
@Controller('api/expressions')
export class ExpressionsHttpController {
  @Post('evaluate')
  @HttpCode(200)
  @Roles('viewer', 'operator')
  @ApiOperation({ summary: 'Evaluate an Entra-syntax expression against a sample object (like Graph parseExpression).' })
  @ApiBody({ schema: { example: { expression: 'Join(" ", [givenName], [sn])', input: { givenName: 'Zoë', sn: 'Ångström' } } } })
  evaluate(@Body() body: EvaluateBody) {
    if (!body?.expression) throw new IdsyncError('REQUEST.INVALID', 'send { "expression": "...", "input": { attribute: value } }');
    let fn;
    try {
      fn = compileExpression(body.expression);
    } catch (e) {
      const err = e as { code?: string; message: string; position?: number };
      throw new IdsyncError(err.code ?? 'EXPRESSION.SYNTAX', err.message, { position: String(err.position ?? '') });
    }
    const attrs: AttributeValues = {};
    for (const [k, v] of Object.entries(body.input ?? {})) if (v !== null && v !== undefined) attrs[k] = (Array.isArray(v) ? v : [v]).map(String);
    try {
      const result = fn(attrs);
      return result === IGNORE_FLOW ? { ignoreFlow: true, attributes: fn.attributes } : { result, attributes: fn.attributes };
    } catch (e) {
      const err = e as { code?: string; message: string };
      throw new IdsyncError(err.code ?? 'EXPRESSION.EVALUATION', err.message);
    }
  }
}
