import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceRuntimeModule, type Platform } from '@idsync/runtime';
import { workflowEntities, workflowMigrations } from './database';
import { SaveJobHandler } from './modules/jobs/commands/save-job/save-job.handler';
import { ReadJobsHandler } from './modules/jobs/queries/read-jobs/read-jobs.handler';
import { DecideRunHandler } from './modules/runs/commands/decide-run/decide-run.handler';
import { StartRunHandler } from './modules/runs/commands/start-run/start-run.handler';
import { AdvanceRunHandler } from './modules/runs/events/advance-run/advance-run.handler';
import { ReadRunsHandler } from './modules/runs/queries/read-runs/read-runs.handler';
import { RunFlow } from './modules/runs/run-flow.service';
import { RunRepository } from './modules/runs/run.repository';

/** workflow: the job catalogue, the life of every run, approvals and threshold reviews. */
@Module({})
export class WorkflowModule {
  static register(platform: Platform): DynamicModule {
    return {
      module: WorkflowModule,
      imports: [ServiceRuntimeModule.forService({ service: 'workflow', platform, entities: workflowEntities, migrations: workflowMigrations })],
      providers: [RunRepository, RunFlow, SaveJobHandler, ReadJobsHandler, StartRunHandler, DecideRunHandler, AdvanceRunHandler, ReadRunsHandler],
    };
  }
}
