import { PlanRow } from './plan.entity';
import { Plans1763900000400 } from './migrations/1763900000400-plans';
import { PlanProblems1763900000410 } from './migrations/1763900000410-plan-problems';
import { PlanOrphans1763900000420 } from './migrations/1763900000420-plan-orphans';

export const preparationEntities = [PlanRow];
export const preparationMigrations = [Plans1763900000400, PlanProblems1763900000410, PlanOrphans1763900000420];
export { PlanRow };
