import { PlanRow } from './plan.entity';
import { Plans1763900000400 } from './migrations/1763900000400-plans';
import { PlanProblems1763900000410 } from './migrations/1763900000410-plan-problems';

export const preparationEntities = [PlanRow];
export const preparationMigrations = [Plans1763900000400, PlanProblems1763900000410];
export { PlanRow };
