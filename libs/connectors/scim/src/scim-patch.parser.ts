import { toAttributes } from './scim-resource.mapper';
import { ATTRIBUTE, canonicalAttribute, type ScimObjectType } from './scim-schemas';
import { asArray, isObject, pick, refValue, type Json } from './scim-values';
import { parseEqFilter } from './scim-filter';

/** One attribute-level change read from a PatchOp; `add`/`remove` on `members` are deltas. */
export interface ScimChange {
  op: 'add' | 'replace' | 'remove';
  attribute: string;
  values: string[];
}

/**
 * Reads a PatchOp request into the connector's attribute names, leniently, as Entra sends them:
 * `op` in any case ("Replace"), booleans as "True"/"False", operations without a `path` whose
 * `value` holds attributes (nested or as flat keys like `name.givenName`), a missing `schemas`.
 * Operations on attributes outside the attribute model are skipped.
 */
export function parsePatchRequest(body: unknown, objectType: ScimObjectType): ScimChange[] {
  const changes: ScimChange[] = [];
  for (const operation of asArray(pick(body, 'Operations') as Json | undefined)) {
    const op = String(pick(operation, 'op') ?? '').toLowerCase();
    if (op !== 'add' && op !== 'replace' && op !== 'remove') continue;
    const rawPath = pick(operation, 'path');
    const path = typeof rawPath === 'string' && rawPath.trim() ? rawPath.trim() : undefined;
    const value = pick(operation, 'value');
    changes.push(...(path ? withPath(op, path, value, objectType) : withoutPath(op, value, objectType)));
  }
  return changes;
}

function withoutPath(op: ScimChange['op'], value: Json | undefined, objectType: ScimObjectType): ScimChange[] {
  if (!isObject(value)) return [];
  return Object.entries(toAttributes(value, objectType)).map(([attribute, values]) => ({ op, attribute, values }));
}

function withPath(op: ScimChange['op'], path: string, value: Json | undefined, objectType: ScimObjectType): ScimChange[] {
  // `members[value eq "id"]`: remove (or add) one member.
  const member = /^members\[(.*)\]$/i.exec(path);
  if (member && objectType === 'group') {
    const filter = parseEqFilter(member[1]);
    return filter && filter.attribute.toLowerCase() === 'value' ? [{ op, attribute: ATTRIBUTE.members, values: [filter.value] }] : [];
  }
  // A typed entry without its `.value`: `emails[type eq "work"]`.
  const typedEntry = /^(emails|phoneNumbers)\[\s*type\s+eq\s+"work"\s*\]$/i.exec(path);
  const attribute = canonicalAttribute(objectType, typedEntry ? `${typedEntry[1]}[type eq "work"].value` : path);
  if (attribute) {
    if (op === 'remove' && value === undefined) return [{ op, attribute, values: [] }];
    const wrapped = typedEntry ? refValue(asArray(value)[0]) : undefined;
    const values = wrapped !== undefined ? [wrapped] : valuesOf(attribute, value, objectType);
    return [{ op, attribute, values }];
  }
  // A parent path (`name`, `emails`, the enterprise extension): read the value as that part of a resource.
  if (op === 'remove') return [];
  return Object.entries(toAttributes({ [path]: value ?? null }, objectType)).map(([a, values]) => ({ op, attribute: a, values }));
}

function valuesOf(attribute: string, value: Json | undefined, objectType: ScimObjectType): string[] {
  return toAttributes({ [attribute]: value ?? null }, objectType)[attribute] ?? [];
}
