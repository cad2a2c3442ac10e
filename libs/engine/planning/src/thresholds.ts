import type { Thresholds, ThresholdViolation } from './types';

/**
 * The guards a job gets when it does not set its own (the caller fills them in; see
 * services/preparation). Modelled on Entra's accidental-deletion prevention, which stops a run
 * that would delete more than 500 objects; deletes and disables count together, as in Entra.
 * We add a percentage: a truncated export of a 900-person directory deletes fewer than 500 but
 * more than half. Creates and updates are not limited by default: a first run creates everything,
 * and a changed mapping legitimately updates everyone. Membership removes (link deletes) get the
 * same two limits as deletes: a truncated export would take everyone out of their groups too.
 */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  maxCreates: undefined,
  maxUpdates: undefined,
  maxDeletes: 500,
  maxCreatePercent: undefined,
  maxUpdatePercent: undefined,
  maxDeletePercent: 50,
  allowEmptySource: false,
  maxLinkCreates: undefined,
  maxLinkUpdates: undefined,
  maxLinkDeletes: 500,
  maxLinkCreatePercent: undefined,
  maxLinkUpdatePercent: undefined,
  maxLinkDeletePercent: 50,
});

export interface PlanCounts {
  sourceCount: number;
  destinationCount: number;
  creates: number;
  updates: number;
  deletes: number;
  disables: number;
  /** Source objects in the job's scope, when it has a scoping filter; none in scope counts as an empty source. */
  inScopeCount?: number;
  /** Links (group memberships): member adds, (no) updates and member removes. Default 0. */
  linkCreates?: number;
  linkUpdates?: number;
  linkDeletes?: number;
  /** Links that exist in the destination: the base of the link percentages. Default 0. */
  linkCount?: number;
}

/**
 * Netwrix Identity Manager's twelve guards and the fields that hold them here: six on objects and
 * six on links (group memberships).
 */
export const NETWRIX_GUARDS: Readonly<Record<string, keyof Thresholds>> = Object.freeze({
  MaximumInsertedLines: 'maxCreates',
  MaximumUpdatedLines: 'maxUpdates',
  MaximumDeletedLines: 'maxDeletes',
  MaxPercentageInsertedLines: 'maxCreatePercent',
  MaxPercentageUpdatedLines: 'maxUpdatePercent',
  MaxPercentageDeletedLines: 'maxDeletePercent',
  MaximumLinkInsertedLines: 'maxLinkCreates',
  MaximumLinkUpdatedLines: 'maxLinkUpdates',
  MaximumLinkDeletedLines: 'maxLinkDeletes',
  MaxPercentageLinkInsertedLines: 'maxLinkCreatePercent',
  MaxPercentageLinkUpdatedLines: 'maxLinkUpdatePercent',
  MaxPercentageLinkDeletedLines: 'maxLinkDeletePercent',
});

/**
 * Every guard the plan exceeds (strictly more than the limit), one violation each. Object
 * percentages are of the destination object count, for creates too, and link percentages of the
 * links that exist; with none, no percentage is checked (every create would be "infinitely many
 * percent" on a first run).
 *
 * @example
 *   checkThresholds({ sourceCount: 86, destinationCount: 100, creates: 0, updates: 0, deletes: 14, disables: 0 }, { maxDeletes: 10 });
 *   // [{ guard: 'max_deletes', limit: 10, actual: 14, message: '14 deletes exceed max_deletes 10' }]
 */
export function checkThresholds(counts: PlanCounts, t: Thresholds): ThresholdViolation[] {
  const out: ThresholdViolation[] = [];
  if (counts.sourceCount === 0 && !t.allowEmptySource) {
    out.push({
      guard: 'empty_source',
      limit: 0,
      actual: 0,
      message: 'the source returned no objects, so no delete is planned; set allowEmptySource if it really is empty',
    });
  } else if (counts.inScopeCount === 0 && !t.allowEmptySource) {
    out.push({
      guard: 'empty_source',
      limit: 0,
      actual: 0,
      message: `none of the ${counts.sourceCount} source objects is in the job's scope, so no delete is planned; check the scoping filter, or set allowEmptySource`,
    });
  }
  const removals = counts.deletes + counts.disables;
  // Singular nouns, pluralised below; with both kinds present the count is at least 2.
  const removalNoun = counts.disables === 0 ? 'delete' : counts.deletes === 0 ? 'disable' : 'deletes and disable';
  const objects = counts.destinationCount;
  const links = counts.linkCount ?? 0;
  const guards: [string, string, number, number | undefined, number | undefined, number, string][] = [
    ['create', 'create', counts.creates, t.maxCreates, t.maxCreatePercent, objects, 'destination object'],
    ['update', 'update', counts.updates, t.maxUpdates, t.maxUpdatePercent, objects, 'destination object'],
    ['delete', removalNoun, removals, t.maxDeletes, t.maxDeletePercent, objects, 'destination object'],
    ['link_create', 'link create', counts.linkCreates ?? 0, t.maxLinkCreates, t.maxLinkCreatePercent, links, 'destination link'],
    ['link_update', 'link update', counts.linkUpdates ?? 0, t.maxLinkUpdates, t.maxLinkUpdatePercent, links, 'destination link'],
    ['link_delete', 'link delete', counts.linkDeletes ?? 0, t.maxLinkDeletes, t.maxLinkDeletePercent, links, 'destination link'],
  ];
  for (const [kind, word, actual, max, maxPercent, base, baseNoun] of guards) {
    const one = actual === 1;
    const noun = one ? word : `${word}s`;
    if (max !== undefined && actual > max) {
      out.push({ guard: `max_${kind}s`, limit: max, actual, message: `${actual} ${noun} ${one ? 'exceeds' : 'exceed'} max_${kind}s ${max}` });
    }
    if (maxPercent !== undefined && base > 0) {
      const exact = (actual * 100) / base;
      const percent = Math.round(exact * 100) / 100;
      if (exact > maxPercent) {
        out.push({
          guard: `max_${kind}_percent`,
          limit: maxPercent,
          actual: percent,
          message: `${actual} ${noun} ${one ? 'is' : 'are'} ${percent}% of ${base} ${baseNoun}${base === 1 ? '' : 's'}, exceeding max_${kind}_percent ${maxPercent}%`,
        });
      }
    }
  }
  return out;
}
