import type { Thresholds, ThresholdViolation } from './types';

/**
 * The guards a job gets when it does not set its own (the caller fills them in; see
 * services/preparation). Modelled on Entra's accidental-deletion prevention, which stops a run
 * that would delete more than 500 objects; deletes and disables count together, as in Entra.
 * We add a percentage: a truncated export of a 900-person directory deletes fewer than 500 but
 * more than half. Creates and updates are not limited by default: a first run creates everything,
 * and a changed mapping legitimately updates everyone.
 */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  maxCreates: undefined,
  maxUpdates: undefined,
  maxDeletes: 500,
  maxCreatePercent: undefined,
  maxUpdatePercent: undefined,
  maxDeletePercent: 50,
  allowEmptySource: false,
});

export interface PlanCounts {
  sourceCount: number;
  destinationCount: number;
  creates: number;
  updates: number;
  deletes: number;
  disables: number;
}

/**
 * Every guard the plan exceeds (strictly more than the limit), one violation each. Percentages
 * are of the destination object count, for creates too; with an empty destination no percentage
 * is checked (every create would be "infinitely many percent" on a first run).
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
  }
  const removals = counts.deletes + counts.disables;
  // Singular nouns, pluralised below; with both kinds present the count is at least 2.
  const removalNoun = counts.disables === 0 ? 'delete' : counts.deletes === 0 ? 'disable' : 'deletes and disable';
  const guards: [string, string, number, number | undefined, number | undefined][] = [
    ['create', 'create', counts.creates, t.maxCreates, t.maxCreatePercent],
    ['update', 'update', counts.updates, t.maxUpdates, t.maxUpdatePercent],
    ['delete', removalNoun, removals, t.maxDeletes, t.maxDeletePercent],
  ];
  for (const [kind, word, actual, max, maxPercent] of guards) {
    const one = actual === 1;
    const noun = one ? word : `${word}s`;
    if (max !== undefined && actual > max) {
      out.push({ guard: `max_${kind}s`, limit: max, actual, message: `${actual} ${noun} ${one ? 'exceeds' : 'exceed'} max_${kind}s ${max}` });
    }
    if (maxPercent !== undefined && counts.destinationCount > 0) {
      const exact = (actual * 100) / counts.destinationCount;
      const percent = Math.round(exact * 100) / 100;
      if (exact > maxPercent) {
        out.push({
          guard: `max_${kind}_percent`,
          limit: maxPercent,
          actual: percent,
          message: `${actual} ${noun} ${one ? 'is' : 'are'} ${percent}% of ${counts.destinationCount} destination object${counts.destinationCount === 1 ? '' : 's'}, exceeding max_${kind}_percent ${maxPercent}%`,
        });
      }
    }
  }
  return out;
}
