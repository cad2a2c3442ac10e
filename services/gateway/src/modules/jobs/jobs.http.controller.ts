import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IdsyncError, JobListSchema, JobSpecSchema, RunListSchema, RunMode, RunSchema, Subjects } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { CurrentPrincipal } from '../../auth/principal.decorator';
import { Roles } from '../../auth/roles.decorator';
import type { Principal } from '../../auth/tokens';
import { json, parseBody } from '../proto-json';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('api/jobs')
export class JobsHttpController {
  constructor(@Inject(MessageBus) private readonly bus: MessageBus) {}

  @Post()
  @Roles('operator')
  @ApiOperation({ summary: 'Create a job: matching rules, attribute mappings (Entra expressions), DN template, deprovisioning, thresholds, recipients, approval.' })
  async create(@Body() body: unknown) {
    const job = parseBody(JobSpecSchema, { ...(body as object), id: '' });
    return json(JobSpecSchema, await this.bus.request(Subjects.saveJob, { job }));
  }

  @Put(':id')
  @Roles('operator')
  @ApiOperation({ summary: 'Replace a job (a new version; running runs keep theirs).' })
  async replace(@Param('id') id: string, @Body() body: unknown) {
    await this.bus.request(Subjects.getJob, { jobId: id });
    const job = parseBody(JobSpecSchema, { ...(body as object), id });
    return json(JobSpecSchema, await this.bus.request(Subjects.saveJob, { job }));
  }

  @Get()
  @Roles('viewer', 'operator', 'approver')
  async list() {
    return json(JobListSchema, await this.bus.request(Subjects.listJobs, {}));
  }

  @Get(':id')
  @Roles('viewer', 'operator', 'approver')
  async get(@Param('id') id: string) {
    return json(JobSpecSchema, await this.bus.request(Subjects.getJob, { jobId: id }));
  }

  @Post(':id/preview')
  @HttpCode(202)
  @Roles('operator')
  @ApiOperation({ summary: 'Preview (dry run): compute the exact plan, write nothing. Poll the run, then read its plan. Body {"mode": "incremental"} previews only what changed since the last incremental run.' })
  async preview(@Param('id') id: string, @CurrentPrincipal() who: Principal, @Body() body: unknown) {
    return json(RunSchema, await this.bus.request(Subjects.startRun, { jobId: id, preview: true, requestedBy: who.name, mode: runMode(body) }));
  }

  @Post(':id/runs')
  @HttpCode(202)
  @Roles('operator')
  @ApiOperation({
    summary: 'Run the job now (it waits for an approver if the job requires approval). Body {"mode": "complete"} (the default) reads every source object; {"mode": "incremental"} reads only what changed since the last incremental run that completed cleanly, and never deletes.',
  })
  async run(@Param('id') id: string, @CurrentPrincipal() who: Principal, @Body() body: unknown) {
    return json(RunSchema, await this.bus.request(Subjects.startRun, { jobId: id, preview: false, requestedBy: who.name, mode: runMode(body) }));
  }

  @Get(':id/runs')
  @Roles('viewer', 'operator', 'approver')
  async runs(@Param('id') id: string, @Query('limit') limit?: string) {
    return json(RunListSchema, await this.bus.request(Subjects.listRuns, { jobId: id, limit: Number(limit) || 50 }));
  }
}

/** The run mode of a start-run body: {"mode": "complete" | "incremental"}, complete when absent. */
function runMode(body: unknown): RunMode {
  const mode = (body as { mode?: unknown } | undefined)?.mode;
  if (mode === undefined || mode === null || mode === '' || mode === 'complete') return RunMode.COMPLETE;
  if (mode === 'incremental') return RunMode.INCREMENTAL;
  throw new IdsyncError('RUN.INVALID_MODE', `mode must be "complete" or "incremental", not ${JSON.stringify(mode)}`, { field: 'mode' });
}
