import { Body, Controller, Get, Header, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { orphansCsv, problemsCsv } from '@idsync/planning';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Decision, OrphanPageSchema, PlanPageSchema, ResultPageSchema, RunLogSchema, RunSchema, Subjects } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { CurrentPrincipal } from '../../auth/principal.decorator';
import { Roles } from '../../auth/roles.decorator';
import type { Principal } from '../../auth/tokens';
import { json } from '../proto-json';

@ApiTags('runs')
@ApiBearerAuth()
@Controller('api/runs')
export class RunsHttpController {
  constructor(@Inject(MessageBus) private readonly bus: MessageBus) {}

  @Get(':id')
  @Roles('viewer', 'operator', 'approver')
  @ApiOperation({ summary: 'A run: state, why, counters (read, created, updated, deleted, disabled, unchanged, failed).' })
  async get(@Param('id') id: string) {
    return json(RunSchema, await this.bus.request(Subjects.getRun, { runId: id }));
  }

  @Get(':id/log')
  @Roles('viewer', 'operator', 'approver')
  @ApiOperation({ summary: 'The log of a run: each step, when, and why.' })
  async log(@Param('id') id: string) {
    return json(RunLogSchema, await this.bus.request(Subjects.getRunLog, { runId: id }));
  }

  @Get(':id/plan')
  @Roles('viewer', 'operator', 'approver')
  @ApiOperation({ summary: 'The exact plan: creates, updates with attribute-level before/after, deletes; threshold violations.' })
  async plan(@Param('id') id: string, @Query('offset') offset?: string, @Query('limit') limit?: string) {
    return json(PlanPageSchema, await this.bus.request(Subjects.getPlan, { runId: id, offset: Number(offset) || 0, limit: Number(limit) || 100 }));
  }

  @Get(':id/problems')
  @Roles('viewer', 'operator', 'approver')
  @ApiOperation({ summary: 'The error report of a run: each refused or skipped object with its row/key, field and reason. ?format=csv for a CSV file.' })
  @Header('cache-control', 'no-store')
  async problems(@Param('id') id: string, @Query('format') format: string | undefined, @Res({ passthrough: true }) res: { type(t: string): void; setHeader(k: string, v: string): void }) {
    const page = await this.bus.request(Subjects.getPlan, { runId: id, offset: 0, limit: 1 });
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="run-${id}-problems.csv"`);
      return problemsCsv(page.problems.map((p) => ({ code: p.code, message: p.message, details: p.details })));
    }
    return { problems: page.problems.map((p) => ({ code: p.code, message: p.message, details: p.details })) };
  }

  @Get(':id/orphans')
  @Roles('viewer', 'operator', 'approver')
  @ApiOperation({ summary: 'Destination objects no source object claims (the orphans report). ?format=csv for all of them as a CSV file.' })
  @Header('cache-control', 'no-store')
  async orphans(
    @Param('id') id: string,
    @Query('format') format: string | undefined,
    @Query('offset') offset: string | undefined,
    @Query('limit') limit: string | undefined,
    @Res({ passthrough: true }) res: { type(t: string): void; setHeader(k: string, v: string): void },
  ) {
    if (format !== 'csv') return json(OrphanPageSchema, await this.bus.request(Subjects.getOrphans, { runId: id, offset: Number(offset) || 0, limit: Number(limit) || 100 }));
    const all: { dn: string; anchor: string }[] = [];
    for (let page = await this.bus.request(Subjects.getOrphans, { runId: id, offset: 0, limit: 1000 }); ; ) {
      all.push(...page.orphans.map((o) => ({ dn: o.dn, anchor: o.anchor })));
      if (page.orphans.length === 0 || all.length >= page.total) break;
      page = await this.bus.request(Subjects.getOrphans, { runId: id, offset: all.length, limit: 1000 });
    }
    res.type('text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="run-${id}-orphans.csv"`);
    return orphansCsv(all);
  }

  @Get(':id/results')
  @Roles('viewer', 'operator', 'approver')
  @ApiOperation({ summary: 'Per-object results, failures first.' })
  async results(@Param('id') id: string, @Query('offset') offset?: string, @Query('limit') limit?: string) {
    return json(ResultPageSchema, await this.bus.request(Subjects.getResults, { runId: id, offset: Number(offset) || 0, limit: Number(limit) || 100 }));
  }

  @Post(':id/approve')
  @Roles('approver')
  async approve(@Param('id') id: string, @CurrentPrincipal() who: Principal, @Body() body?: { comment?: string }) {
    return this.decide(id, Decision.APPROVE, who, body?.comment);
  }

  @Post(':id/deny')
  @Roles('approver')
  async deny(@Param('id') id: string, @CurrentPrincipal() who: Principal, @Body() body?: { comment?: string }) {
    return this.decide(id, Decision.DENY, who, body?.comment);
  }

  @Post(':id/resume')
  @Roles('approver')
  @ApiOperation({ summary: 'Apply exactly the reviewed plan of a run stopped by a threshold.' })
  async resume(@Param('id') id: string, @CurrentPrincipal() who: Principal, @Body() body?: { comment?: string }) {
    return this.decide(id, Decision.RESUME, who, body?.comment);
  }

  @Post(':id/cancel')
  @Roles('approver', 'operator')
  async cancel(@Param('id') id: string, @CurrentPrincipal() who: Principal, @Body() body?: { comment?: string }) {
    return this.decide(id, Decision.CANCEL, who, body?.comment);
  }

  private async decide(runId: string, decision: Decision, who: Principal, comment?: string) {
    return json(RunSchema, await this.bus.request(Subjects.decideRun, { runId, decision, actor: who.name, comment: comment ?? '' }));
  }
}
