import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceRuntimeModule, type Platform } from '@idsync/runtime';
import { historyEntities, historyMigrations } from './database';
import { RecordChangeHandler } from './modules/changes/commands/record-change/record-change.handler';
import { QueryChangesHandler } from './modules/changes/queries/query-changes/query-changes.handler';

/** history: the immutable record of every applied change. */
@Module({})
export class HistoryModule {
  static register(platform: Platform): DynamicModule {
    return {
      module: HistoryModule,
      imports: [ServiceRuntimeModule.forService({ service: 'history', platform, entities: historyEntities, migrations: historyMigrations })],
      providers: [RecordChangeHandler, QueryChangesHandler],
    };
  }
}
