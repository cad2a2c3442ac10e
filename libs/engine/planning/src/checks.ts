import { valuesOf } from './attrs';
import { PlanningError } from './errors';
import type { IdentityRecord, Orphan, PlanProblem } from './types';

/** Preparation checks on the source data, run while planning. */
export interface PlanningChecks {
  /** How source keys compare for uniqueness and links. Default 'sensitive'. Keys are always NFC-normalised and trimmed. */
  keyCase?: 'sensitive' | 'insensitive';
  /** Source columns whose every value must be the key of a source object (e.g. managerId). */
  references?: { attribute: string; mustResolveTo: 'sourceKey' }[];
  /** Mapped target attributes that must have a value after mapping, on create and after an update. */
  requiredTargets?: string[];
  /**
   * 'block' (default): any problem makes the caller refuse the whole plan. 'skip': the objects
   * concerned are left out (their destination objects are never deleted because of it), the
   * problems are still returned, and the rest of the plan may run.
   */
  onError?: 'block' | 'skip';
}

export interface ResolvedChecks {
  keyCase: 'sensitive' | 'insensitive';
  references: string[];
  /** Lower-case target attribute names. */
  requiredTargets: string[];
  onError: 'block' | 'skip';
}

/** The checks with their defaults; throws PlanningError for a required target no mapping sets. */
export function resolveChecks(checks: PlanningChecks | undefined, mappedTargets: string[]): ResolvedChecks {
  const targets = new Set(mappedTargets.map((t) => t.toLowerCase()));
  const requiredTargets = (checks?.requiredTargets ?? []).map((t) => t.trim().toLowerCase());
  for (const [i, t] of requiredTargets.entries()) {
    if (!targets.has(t)) {
      const name = checks!.requiredTargets![i];
      throw new PlanningError('PLAN.INVALID_JOB', `checks.requiredTargets names ${name}, which no mapping sets`, { field: 'checks.requiredTargets', attribute: name });
    }
  }
  for (const r of checks?.references ?? []) {
    if (!r.attribute?.trim() || r.mustResolveTo !== 'sourceKey') {
      throw new PlanningError('PLAN.INVALID_JOB', 'each checks.references entry needs an attribute and mustResolveTo "sourceKey"', { field: 'checks.references', attribute: r.attribute ?? '' });
    }
  }
  return {
    keyCase: checks?.keyCase ?? 'sensitive',
    references: (checks?.references ?? []).map((r) => r.attribute.trim()),
    requiredTargets,
    onError: checks?.onError ?? 'block',
  };
}

/**
 * A source key as written in the plan: Unicode NFC and trimmed, so "José" typed with a combining
 * accent and "José" precomposed are one key (and so duplicates of each other).
 */
export function canonicalKey(key: string): string {
  return key.normalize('NFC').trim();
}

/**
 * The key of a source record as the planner reads it (Planner.addSource): the first value of the
 * job's sourceKey attribute, else the record's key (a file's key column, a directory entry's DN),
 * canonical (canonicalKey); '' for none. The job's attribute comes first so that a directory source
 * keyed by uid keeps its key when an entry is renamed or moved. Links and anchors kept by source key
 * must use it, so they name the keys the plan writes.
 *
 * @example
 *   sourceKeyOf({ key: 'uid=jdoe,ou=people,dc=example,dc=org', anchor: 'u-1', attributes: { uid: [' jdoe '] } }, 'uid'); // 'jdoe'
 */
export function sourceKeyOf(rec: IdentityRecord, sourceKeyAttribute: string): string {
  return canonicalKey(valuesOf(rec.attributes, sourceKeyAttribute)[0] || rec.key || '');
}

/** The key that decides whether two source keys are the same. */
export function keyIdentity(key: string, keyCase: 'sensitive' | 'insensitive'): string {
  const k = canonicalKey(key);
  return keyCase === 'insensitive' ? k.toLowerCase() : k;
}

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled.
 * A cell a spreadsheet would read as a formula (=, +, -, @, tab, carriage return first) is
 * prefixed with an apostrophe, so opening an export never runs what a source row contained.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csv(header: string[], rows: string[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/**
 * The orphans as CSV, one line per destination object, for the review.
 *
 * @example
 *   orphansCsv([{ dn: 'uid=bo.li,ou=people,dc=example,dc=org', anchor: '42' }]);
 *   // 'dn,anchor\r\n"uid=bo.li,ou=people,dc=example,dc=org",42\r\n'
 */
export function orphansCsv(orphans: Orphan[]): string {
  return csv(
    ['dn', 'anchor'],
    orphans.map((o) => [o.dn, o.anchor]),
  );
}

/**
 * The problems as CSV: code, source key, row, field, DN and message, then every detail as JSON
 * so that nothing is lost.
 */
export function problemsCsv(problems: PlanProblem[]): string {
  return csv(
    ['code', 'sourceKey', 'row', 'field', 'dn', 'message', 'details'],
    problems.map((p) => [p.code, p.details.sourceKey ?? '', p.details.row ?? '', p.details.attribute ?? p.details.field ?? '', p.details.dn ?? '', p.message, JSON.stringify(p.details)]),
  );
}
