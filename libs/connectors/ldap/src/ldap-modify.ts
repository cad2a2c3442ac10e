import { changedValues, modeOf, type AttributeChangeOp } from '@idsync/connector-core';
import { Attribute, Change, type Client } from 'ldapts';
import { ResultCode, resultCode } from './ldap-errors';

/** The result codes with which a directory refuses an add of a value already there, or a delete of a value not there. */
export interface ValueRefusals {
  add: number[];
  delete: number[];
}

/** OpenLDAP and RFC 4511: attributeOrValueExists and noSuchAttribute. */
export const LDAP_VALUE_REFUSALS: ValueRefusals = { add: [ResultCode.attributeOrValueExists], delete: [ResultCode.noSuchAttribute] };

export interface ModifyValuesOptions {
  refusals: ValueRefusals;
  /** Every value the entry holds for the attribute now (Active Directory: following range retrieval). */
  readValues(client: Client, dn: string, attribute: string): Promise<string[]>;
}

/** Per add or remove change that left values as they were: how many of how many were already there, or not there. */
export interface Unchanged {
  attribute: string;
  mode: 'add' | 'remove';
  count: number;
  of: number;
}

/**
 * Applies an operation's changes to one entry: replace as an LDAP replace, add as an LDAP add, remove as an LDAP
 * delete of those values (an add or remove without values changes nothing: a delete without values would remove them
 * all). Idempotent: a value already there (add) or not there (remove) is no error. All changes go in one modify,
 * which the server applies whole or not at all; when it refuses it for a value already there or not there, the
 * changes are applied one after the other in their order (no longer as one), each with only the values that change:
 * those the entry holds are read, and when the server still refuses, the values go one by one.
 *
 * `extra` are changes the caller built itself (a password), sent with the others and, one by one, after them.
 * Other refusals are thrown as ldapts errors: removing the last `member` of a groupOfNames, for one, is the
 * server's objectClassViolation.
 *
 * @example
 *   const unchanged = await modifyValues(client, groupDn, [{ attribute: 'member', mode: 'add', values: [userDn] }], { refusals: LDAP_VALUE_REFUSALS, readValues: readLdapValues });
 */
export async function modifyValues(client: Client, dn: string, changes: AttributeChangeOp[], options: ModifyValuesOptions, extra: Change[] = []): Promise<Unchanged[]> {
  const effective = changes.filter((c) => modeOf(c) === 'replace' || c.values.length).map((c) => ({ ...c, values: [...new Set(c.values)] }));
  if (effective.length + extra.length === 0) return [];
  const refused = (e: unknown, c: AttributeChangeOp) => isRefusal(e, modeOf(c), options.refusals);
  if (effective.length + extra.length > 1) {
    try {
      await client.modify(dn, [...effective.map((c) => toLdapChange(c)), ...extra]);
      return [];
    } catch (e) {
      if (!effective.some((c) => refused(e, c))) throw e;
    }
  }
  const unchanged: Unchanged[] = [];
  for (const c of effective) {
    const count = await modifyOne(client, dn, c, options);
    const mode = modeOf(c);
    if (count && mode !== 'replace') unchanged.push({ attribute: c.attribute, mode, count, of: c.values.length });
  }
  if (extra.length) await client.modify(dn, extra);
  return unchanged;
}

/** One change; the number of its values already there (add) or not there (remove). */
async function modifyOne(client: Client, dn: string, change: AttributeChangeOp, options: ModifyValuesOptions): Promise<number> {
  const mode = modeOf(change);
  try {
    await client.modify(dn, toLdapChange(change));
    return 0;
  } catch (e) {
    if (!isRefusal(e, mode, options.refusals)) throw e;
  }
  // One value made the server refuse them all: what the entry holds decides what is left to send. Values compare
  // exactly (an add skips only values certainly there) and loosely (a remove skips only values certainly not there).
  const present = await options.readValues(client, dn, change.attribute);
  const exact = new Set(present);
  const loose = new Set(present.map(looseValue));
  const left = mode === 'add' ? change.values.filter((v) => !exact.has(v)) : change.values.filter((v) => loose.has(looseValue(v)));
  let unchanged = change.values.length - left.length;
  if (!left.length) return unchanged;
  try {
    await client.modify(dn, toLdapChange(change, left));
    return unchanged;
  } catch (e) {
    if (!isRefusal(e, mode, options.refusals)) throw e;
  }
  for (const v of left) {
    try {
      await client.modify(dn, toLdapChange(change, [v]));
    } catch (e) {
      // A refusal that cannot be about that value: an add of a value nowhere near those there (Active Directory answers
      // attributeOrValueExists for a second value of a single-valued attribute), a delete of a value exactly there.
      const real = mode === 'add' ? !loose.has(looseValue(v)) : exact.has(v);
      if (!isRefusal(e, mode, options.refusals) || real) throw e;
      unchanged++;
    }
  }
  return unchanged;
}

function isRefusal(e: unknown, mode: string, refusals: ValueRefusals): boolean {
  const code = resultCode(e);
  const codes = mode === 'add' ? refusals.add : mode === 'remove' ? refusals.delete : [];
  return code !== undefined && codes.includes(code);
}

function toLdapChange(change: AttributeChangeOp, values = change.values): Change {
  const mode = modeOf(change);
  const operation = mode === 'add' ? 'add' : mode === 'remove' ? 'delete' : 'replace';
  return new Change({ operation, modification: new Attribute({ type: change.attribute, values }) });
}

/**
 * A value as a directory's matching rules would likely see it, for "could this be the same value": case, spaces and
 * DN escapes (`\2C`, `\,`) ignored. Never used to decide that two values are the same, only that they cannot be.
 */
export function looseValue(value: string): string {
  return value
    .replace(/(?:\\[0-9a-f]{2})+/gi, (hex) => Buffer.from(hex.replace(/\\/g, ''), 'hex').toString('utf8'))
    .replace(/\\/g, '')
    .replace(/\s+/g, '')
    .toLowerCase();
}

/** The values of one attribute of an entry, by a base search. */
export async function readLdapValues(client: Client, dn: string, attribute: string): Promise<string[]> {
  const { searchEntries } = await client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: [attribute] });
  const entry = searchEntries[0] ?? {};
  const name = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  if (!name) return [];
  return [entry[name]].flat().map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v)));
}

/** "member: 1 of 2 already there; description: 2 of 2 not there", or undefined when every value changed. */
export function unchangedMessage(unchanged: Unchanged[]): string | undefined {
  if (!unchanged.length) return undefined;
  return unchanged.map((u) => `${u.attribute}: ${u.count} of ${u.of} ${u.mode === 'add' ? 'already there' : 'not there'}`).join('; ');
}

/**
 * The attributes of a new entry: the changes in order from nothing (replace sets, add joins, remove drops; see
 * changedValues), names matched case-insensitively; objectClass changes join `objectClasses` rather than replace them.
 */
export function entryAttributes(changes: AttributeChangeOp[], objectClasses: string[]): Record<string, string[]> {
  const entry: Record<string, string[]> = { objectClass: objectClasses };
  for (const c of changes) {
    const name = Object.keys(entry).find((k) => k.toLowerCase() === c.attribute.toLowerCase()) ?? c.attribute;
    entry[name] = name === 'objectClass' && modeOf(c) === 'replace' ? [...new Set([...entry[name], ...c.values])] : changedValues(entry[name] ?? [], c);
  }
  return Object.fromEntries(Object.entries(entry).filter(([, values]) => values.length));
}
