import { AttributeChangeSchema, create, OperationSchema, ValueMode, type Operation } from '@idsync/contracts';

/**
 * A phase of a plan under way: how many operations, in which batches. A plan is applied phase by
 * phase (0 renames, 1 creates, 2 group creates, 3 updates and memberships, 4 disables, 5
 * deletes); a phase's batches are sent once every operation of the phase before has its result.
 */
export interface PhaseRange {
  phase: number;
  total: number;
  firstBatch: number;
  lastBatch: number;
}

/** Phases whose operations make the DNs later phases name: renames (0) and creates (1). */
export const NAMING_PHASES = 2;

/**
 * An operation of a later phase without the values that name an object whose rename or create did
 * not succeed (`unsettled`: those DNs, old and new, lower-cased): a group must not gain a member
 * that does not exist, nor lose the member that a failed rename left where it was. An add or remove
 * left with no value is dropped. Returns the operation itself when nothing names such an object.
 *
 * @example
 *   withoutUnsettled(groupUpdate, new Set(['uid=new.user,ou=people,dc=example,dc=org']));
 */
export function withoutUnsettled(op: Operation, unsettled: ReadonlySet<string>): Operation {
  if (unsettled.size === 0) return op;
  let touched = false;
  const changes = op.changes.flatMap((c) => {
    const values = c.after?.values ?? [];
    const kept = values.filter((v) => !unsettled.has(v.toLowerCase()));
    if (kept.length === values.length) return [c];
    touched = true;
    if (kept.length === 0 && c.mode !== ValueMode.UNSPECIFIED && c.mode !== ValueMode.REPLACE) return [];
    return [create(AttributeChangeSchema, { attribute: c.attribute, before: c.before, after: { values: kept }, mode: c.mode })];
  });
  return touched ? create(OperationSchema, { ...op, changes }) : op;
}
