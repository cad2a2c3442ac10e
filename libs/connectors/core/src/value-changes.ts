import type { AttributeChangeOp } from './connector';

export type ValueMode = NonNullable<AttributeChangeOp['mode']>;

/** The change's mode; replace when it has none. */
export function modeOf(change: AttributeChangeOp): ValueMode {
  return change.mode ?? 'replace';
}

/**
 * The values of a multi-valued attribute after one change. replace gives the change's values; add appends those not
 * there yet, once each, in their order; remove drops those there. Values compare exactly: a peer that compares them
 * its own way (a directory's matching rules) applies add and remove itself.
 *
 * @example
 *   changedValues(['a'], { attribute: 'member', mode: 'add', values: ['a', 'b'] }); // ['a', 'b']
 *   changedValues(['a', 'b'], { attribute: 'member', mode: 'remove', values: ['a', 'c'] }); // ['b']
 */
export function changedValues(current: readonly string[], change: AttributeChangeOp): string[] {
  const mode = modeOf(change);
  if (mode === 'replace') return [...change.values];
  if (mode === 'remove') return current.filter((v) => !change.values.includes(v));
  const out = [...current];
  for (const v of change.values) if (!out.includes(v)) out.push(v);
  return out;
}

/**
 * The value of a single-valued attribute (a table column, a cell without a separator) after one change, or why it
 * cannot hold it. add sets an empty attribute, is a no-op when the value is already there, and is refused when
 * another value is: the attribute would need two. remove clears the attribute when it holds one of the values and is
 * a no-op otherwise. `what` names the attribute in messages (`column "mail"`).
 *
 * @example
 *   changedSingleValue('a@x.org', { attribute: 'mail', mode: 'add', values: ['b@x.org'] }, 'column "mail"');
 *   // { error: 'column "mail" holds "a@x.org"; adding "b@x.org" would give it a second value, and it holds one' }
 */
export function changedSingleValue(current: string | undefined, change: AttributeChangeOp, what: string): { value: string | undefined } | { error: string } {
  const mode = modeOf(change);
  const values = [...new Set(change.values)];
  if (mode === 'remove') return { value: current !== undefined && values.includes(current) ? undefined : current };
  if (values.length > 1) return { error: `${what} holds one value; got ${values.length}` };
  if (mode === 'replace') return { value: values[0] };
  const [added] = values;
  if (added === undefined || current === added) return { value: current };
  if (current === undefined) return { value: added };
  return { error: `${what} holds "${current}"; adding "${added}" would give it a second value, and it holds one` };
}
