import { PlanningError } from './errors';
import type { PlanningJob } from './types';

/**
 * Where a source/destination pair stands, decided once per pair before any action:
 *
 * - `linked`: the source key has a known link (Planner.addLink) to a destination object's anchor;
 * - `unlinked_match`: no link, one destination object matched by the matching rules;
 * - `unmatched`: a source object in scope with no destination object;
 * - `source_deleted`: a destination object whose source object is gone or out of scope (also one
 *   that no source object ever claimed: without a link the two cannot be told apart);
 * - `ambiguous`: a source object matching several destination objects.
 */
export const SITUATIONS = ['linked', 'unlinked_match', 'unmatched', 'source_deleted', 'ambiguous'] as const;
export type Situation = (typeof SITUATIONS)[number];

export type SituationAction = 'create' | 'link' | 'update' | 'disable' | 'delete' | 'ignore' | 'report';

/** The actions each situation may take. Ambiguous matches are never guessed: report only. */
const ALLOWED: Record<Situation, readonly SituationAction[]> = {
  unmatched: ['create', 'ignore', 'report'],
  unlinked_match: ['update', 'link', 'ignore', 'report'],
  linked: ['update', 'ignore', 'report'],
  source_deleted: ['delete', 'disable', 'ignore', 'report'],
  ambiguous: ['report'],
};

export type SituationActions = Record<Situation, SituationAction>;

/**
 * The job's actions with the defaults filled in: the defaults give the planner's behaviour
 * before situations existed (source_deleted follows `deprovision`). Throws PlanningError
 * (PLAN.INVALID_JOB, field "actions") for an action a situation cannot take.
 *
 * @example
 *   resolveActions({ deprovision: 'disable', actions: { unmatched: 'report' } });
 *   // { unmatched: 'report', unlinked_match: 'update', linked: 'update', source_deleted: 'disable', ambiguous: 'report' }
 */
export function resolveActions(job: Pick<PlanningJob, 'deprovision' | 'actions'>): SituationActions {
  const out: SituationActions = { unmatched: 'create', unlinked_match: 'update', linked: 'update', source_deleted: job.deprovision, ambiguous: 'report' };
  for (const [situation, action] of Object.entries(job.actions ?? {})) {
    if (!(SITUATIONS as readonly string[]).includes(situation)) {
      throw new PlanningError('PLAN.INVALID_JOB', `actions names the unknown situation "${situation}"; use one of ${SITUATIONS.join(', ')}`, { field: 'actions', situation });
    }
    if (action === undefined) continue;
    const s = situation as Situation;
    if (!ALLOWED[s].includes(action)) {
      throw new PlanningError('PLAN.INVALID_JOB', `the situation ${s} cannot take the action "${action}"; use one of ${ALLOWED[s].join(', ')}`, { field: 'actions', situation: s, action });
    }
    out[s] = action;
  }
  return out;
}

export function emptySituationCounts(): Record<Situation, number> {
  return { linked: 0, unlinked_match: 0, unmatched: 0, source_deleted: 0, ambiguous: 0 };
}
