/**
 * Plan computation for one run of one job: map source objects with the job's Entra expressions,
 * match them to destination objects, and list the creates, updates, deletes and disables that
 * bring the destination in line, checked against the job's guards. Pure domain code.
 *
 * @example
 *   import { Planner, DEFAULT_THRESHOLDS } from '@idsync/planning';
 *   const planner = new Planner({ ...job, thresholds: { ...DEFAULT_THRESHOLDS, ...job.thresholds } });
 *   destination.forEach((d) => planner.addDestination(d));
 *   source.forEach((s) => planner.addSource(s));
 *   const { operations, summary, violations, problems, situations, orphans, blocking } = planner.finish();
 */
export { canonicalKey, csvCell, orphansCsv, problemsCsv, sourceKeyOf, type PlanningChecks } from './checks';
export { escapeDnValue } from './dn';
export { PlanningError } from './errors';
export { Planner, type PlannerOptions } from './planner';
export { Scope, SCOPING_OPERATORS, type ScopingClause, type ScopingFilter, type ScopingOperator } from './scoping';
export { resolveActions, SITUATIONS, type Situation, type SituationAction, type SituationActions } from './situations';
export { checkThresholds, DEFAULT_THRESHOLDS, NETWRIX_GUARDS, type PlanCounts } from './thresholds';
export type {
  Attrs,
  IdentityRecord,
  MembershipRule,
  NewLink,
  Orphan,
  PlannedChange,
  PlannedOperation,
  PlanningJob,
  PlanProblem,
  PlanResult,
  PlanSummary,
  ThresholdViolation,
  Thresholds,
} from './types';
