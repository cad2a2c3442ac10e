import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceRuntimeModule, type Platform } from '@idsync/runtime';
import { synchronizationEntities, synchronizationMigrations } from './database';
import { ApplyPlanHandler } from './modules/applications/commands/apply-plan/apply-plan.handler';
import { ExportLinksHandler } from './modules/applications/commands/export-links/export-links.handler';
import { RecordBatchHandler } from './modules/applications/events/record-batch/record-batch.handler';
import { ReadResultsHandler } from './modules/applications/queries/read-results/read-results.handler';

/** synchronization: applies plans through the connector service, records per-object results and links. */
@Module({})
export class SynchronizationModule {
  static register(platform: Platform): DynamicModule {
    return {
      module: SynchronizationModule,
      imports: [ServiceRuntimeModule.forService({ service: 'synchronization', platform, entities: synchronizationEntities, migrations: synchronizationMigrations })],
      providers: [ApplyPlanHandler, ExportLinksHandler, RecordBatchHandler, ReadResultsHandler],
    };
  }
}
