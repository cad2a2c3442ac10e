import { changedSingleValue, changedValues, ConnectorError, modeOf, type AttributeChangeOp, type Attributes } from '@idsync/connector-core';
import { eqFilter } from './scim-filter';
import { ATTRIBUTE, canonicalAttribute, SCHEMA, type ScimObjectType } from './scim-schemas';

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

export interface PatchRequest {
  schemas: [typeof SCHEMA.patchOp];
  Operations: PatchOperation[];
}

/** Multi-valued attributes addressed through a value filter: the flat name → [parent, type]. */
const TYPED: Record<string, [string, string]> = {
  [ATTRIBUTE.workEmail]: ['emails', 'work'],
  [ATTRIBUTE.workPhone]: ['phoneNumbers', 'work'],
};
const MULTI_VALUED = new Set<string>([ATTRIBUTE.members]);

/** The body of a POST: `schemas` lists the core schema and, when used, the enterprise extension. */
export function toResource(objectType: ScimObjectType, changes: AttributeChangeOp[]): Record<string, unknown> {
  const resource: Record<string, unknown> = { schemas: [objectType === 'group' ? SCHEMA.group : SCHEMA.user] };
  const extension: Record<string, unknown> = {};
  for (const change of changes) {
    if (!change.values.length) continue;
    const attribute = known(objectType, change.attribute);
    const value = toJson(attribute, change.values);
    const typed = TYPED[attribute];
    if (typed) {
      resource[typed[0]] = [{ type: typed[1], value, ...(typed[0] === 'emails' ? { primary: true } : {}) }];
    } else if (attribute.startsWith(`${SCHEMA.enterpriseUser}:`)) {
      extension[attribute.slice(SCHEMA.enterpriseUser.length + 1)] = value;
    } else if (attribute.startsWith('name.')) {
      resource.name = { ...(resource.name as object | undefined), [attribute.slice(5)]: value };
    } else {
      resource[attribute] = value;
    }
  }
  if (Object.keys(extension).length) {
    (resource.schemas as string[]).push(SCHEMA.enterpriseUser);
    resource[SCHEMA.enterpriseUser] = extension;
  }
  return resource;
}

/**
 * One PATCH operation per change: `replace` with the attribute's path (value-filter paths such as
 * `emails[type eq "work"].value` included), `remove` for a change without values. Removing a typed
 * entry removes the whole entry (`emails[type eq "work"]`), not only its value, which would leave
 * an address without a value behind.
 */
export function toPatchOperations(objectType: ScimObjectType, changes: AttributeChangeOp[]): PatchOperation[] {
  return changes.map((change) => {
    const attribute = known(objectType, change.attribute);
    if (!change.values.length) {
      const typed = TYPED[attribute];
      return { op: 'remove', path: typed ? `${typed[0]}[type eq "${typed[1]}"]` : attribute };
    }
    return { op: 'replace', path: attribute, value: toJson(attribute, change.values) };
  });
}

/**
 * The PATCH operations of changes that add or remove values, given the resource's attributes now (`current`, as
 * toAttributes reads them), each change seeing the ones before it. Multi-valued attributes (Group members) get `add`
 * with only the values not there and one `remove` with a value filter (`members[value eq "id"]`) per value there
 * (RFC 7644 §3.5.2.1-2), so neither a server that stores a member twice nor one that answers a filter matching
 * nothing with `noTarget` sees either. A single-valued attribute follows changedSingleValue: adding a second value
 * is SCIM.INVALID_VALUE naming it, and a change that leaves the value as it is sends nothing.
 *
 * @example
 *   toPatchOperationsFrom('group', [{ attribute: 'members', mode: 'remove', values: ['u1'] }], { members: ['u1', 'u2'] });
 *   // [{ op: 'remove', path: 'members[value eq "u1"]' }]
 */
export function toPatchOperationsFrom(objectType: ScimObjectType, changes: AttributeChangeOp[], current: Attributes): PatchOperation[] {
  const state: Attributes = { ...current };
  const operations: PatchOperation[] = [];
  for (const change of changes) {
    const attribute = known(objectType, change.attribute);
    const mode = modeOf(change);
    const before = state[attribute] ?? [];
    if (mode === 'replace') {
      operations.push(...toPatchOperations(objectType, [change]));
      state[attribute] = [...change.values];
    } else if (MULTI_VALUED.has(attribute)) {
      const after = changedValues(before, change);
      const added = after.filter((v) => !before.includes(v));
      const removed = before.filter((v) => !after.includes(v));
      if (added.length) operations.push({ op: 'add', path: attribute, value: toJson(attribute, added) });
      for (const value of removed) operations.push({ op: 'remove', path: `${attribute}[${eqFilter('value', value)}]` });
      state[attribute] = after;
    } else {
      const after = changedSingleValue(before[0], change, `"${attribute}"`);
      if ('error' in after) throw new ConnectorError('SCIM.INVALID_VALUE', after.error, { attribute });
      const values = after.value === undefined ? [] : [after.value];
      if (after.value !== before[0]) operations.push(...toPatchOperations(objectType, [{ attribute, values }]));
      state[attribute] = values;
    }
  }
  return operations;
}

/**
 * The changes of a create as replace changes: each applied in order to a resource that has nothing yet, so an add
 * sets and a remove leaves nothing.
 */
export function createChanges(changes: AttributeChangeOp[]): AttributeChangeOp[] {
  if (!changes.some((c) => modeOf(c) !== 'replace')) return changes;
  const values = new Map<string, string[]>();
  for (const c of changes) values.set(c.attribute, changedValues(values.get(c.attribute) ?? [], c));
  return [...values].map(([attribute, v]) => ({ attribute, values: v }));
}

/**
 * RFC 7644 §3.5.2.3: a `replace` through a value filter that matches nothing is answered 400
 * `noTarget`, so setting a work email on a user who has none fails. The same intent, valid whether
 * or not the entry exists: remove the typed entry, then add a new one to the parent.
 */
export function withoutValueFilterReplace(operations: PatchOperation[]): PatchOperation[] {
  return operations.flatMap((o): PatchOperation[] => {
    const typed = o.op === 'replace' ? TYPED[o.path] : undefined;
    if (!typed) return [o];
    const [parent, type] = typed;
    return [
      { op: 'remove', path: `${parent}[type eq "${type}"]` },
      { op: 'add', path: parent, value: [{ type, value: o.value }] },
    ];
  });
}

export function patchRequest(operations: PatchOperation[]): PatchRequest {
  return { schemas: [SCHEMA.patchOp], Operations: operations };
}

function known(objectType: ScimObjectType, name: string): string {
  const attribute = canonicalAttribute(objectType, name);
  if (!attribute) {
    throw new ConnectorError('SCIM.UNKNOWN_ATTRIBUTE', `"${name}" is not a SCIM ${objectType} attribute this connector writes; map it to one of the attributes in the connector's README`, { attribute: name });
  }
  return attribute;
}

/** The JSON value of a change: a boolean for `active`, `{ value }` references, one string otherwise. */
function toJson(attribute: string, values: string[]): unknown {
  if (MULTI_VALUED.has(attribute)) return [...new Set(values)].map((value) => ({ value }));
  if (values.length > 1) {
    throw new ConnectorError('SCIM.INVALID_VALUE', `${attribute} takes one value, got ${values.length}`, { attribute });
  }
  const [value] = values;
  if (attribute === ATTRIBUTE.active) {
    const b = value.trim().toLowerCase();
    if (b !== 'true' && b !== 'false') throw new ConnectorError('SCIM.INVALID_VALUE', `active must be "true" or "false", got "${value}"`, { attribute });
    return b === 'true';
  }
  if (attribute === ATTRIBUTE.manager) return { value };
  return value;
}
