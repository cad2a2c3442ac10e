import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceRuntimeModule, type Platform } from '@idsync/runtime';
import { preparationEntities, preparationMigrations } from './database';
import { PreparePlanHandler } from './modules/plans/commands/prepare-plan/prepare-plan.handler';
import { ReadPlanHandler } from './modules/plans/queries/read-plan/read-plan.handler';

/** preparation: cleanse, validate, map, match, plan, and check the plan against thresholds. */
@Module({})
export class PreparationModule {
  static register(platform: Platform): DynamicModule {
    return {
      module: PreparationModule,
      imports: [ServiceRuntimeModule.forService({ service: 'preparation', platform, entities: preparationEntities, migrations: preparationMigrations })],
      providers: [PreparePlanHandler, ReadPlanHandler],
    };
  }
}
