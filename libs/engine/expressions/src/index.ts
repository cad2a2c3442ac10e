/**
 * Microsoft Entra ID's attribute-mapping expression language: parse, check and evaluate
 * expressions such as `ToLower(Join(".", NormalizeDiacritics([givenName]), [sn]))`.
 *
 * @example
 *   import { compileExpression, IGNORE_FLOW } from '@idsync/expressions';
 *   const mail = compileExpression('ToLower(Join("@", Join(".", [givenName], [sn]), "example.org"))');
 *   mail({ givenName: ['Ada'], sn: ['Lovelace'] }); // 'ada.lovelace@example.org'
 */
export type {
  AttributeExpression,
  BooleanExpression,
  CallExpression,
  ComparisonExpression,
  ComparisonOperator,
  ConstantExpression,
  Expression,
  NumberExpression,
  OmittedExpression,
  StringExpression,
} from './ast';
export { referencedAttributes } from './ast';
export { compileExpression, evaluate, type CompiledExpression } from './compiler';
export type { EvaluationContext } from './context';
export { ExpressionError, ExpressionEvaluationError, ExpressionSyntaxError } from './errors';
export { parseExpression } from './parser';
export { IGNORE_FLOW, type AttributeValues, type ExpressionResult, type ExpressionValue } from './values';

import { ENTRA_ONLY } from './functions/entra-only';
import { FUNCTIONS } from './functions/registry';

/** Names of the functions expressions may call (case-sensitive). */
export const SUPPORTED_FUNCTIONS: readonly string[] = [...FUNCTIONS.keys()].filter((n) => !ENTRA_ONLY[n]).sort();
