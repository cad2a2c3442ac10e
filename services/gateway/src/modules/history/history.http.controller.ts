import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChangePageSchema, Subjects } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { Roles } from '../../auth/roles.decorator';
import { json } from '../proto-json';

@ApiTags('history')
@ApiBearerAuth()
@Controller('api/history')
export class HistoryHttpController {
  constructor(@Inject(MessageBus) private readonly bus: MessageBus) {}

  @Get()
  @Roles('viewer', 'operator', 'approver')
  @ApiOperation({ summary: 'Applied changes (object, run, attribute before/after, who started the run), by run and/or object (DN or source key).' })
  async query(@Query('run') run?: string, @Query('object') object?: string, @Query('offset') offset?: string, @Query('limit') limit?: string) {
    return json(ChangePageSchema, await this.bus.request(Subjects.queryChanges, { runId: run ?? '', object: object ?? '', offset: Number(offset) || 0, limit: Number(limit) || 100 }));
  }
}
