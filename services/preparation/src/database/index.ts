import { PlanRow } from './plan.entity';
import { Plans1763900000400 } from './migrations/1763900000400-plans';

export const preparationEntities = [PlanRow];
export const preparationMigrations = [Plans1763900000400];
export { PlanRow };
