import { ConnectorError, type AttributeChangeOp } from '@idsync/connector-core';
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
