import type { Attributes } from '@idsync/connector-core';
import { ATTRIBUTE, canonicalAttribute, SCHEMA, type ScimObjectType } from './scim-schemas';
import { asArray, isObject, parseBoolean, pick, refValue, text, type Json, type JsonObject } from './scim-values';

/**
 * Flattens a SCIM resource into the connector's attributes, leniently: names in any case, missing
 * `schemas`, single values for arrays, "True"/"False" for booleans, enterprise attributes either in
 * their extension object or as top-level `urn:...:User:department` keys (as Entra's PATCH without a
 * path sends them), and dotted keys such as `name.givenName`. Unknown attributes are left out.
 */
export function toAttributes(resource: unknown, objectType: ScimObjectType): Attributes {
  const out: Attributes = {};
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined && !out[name]) out[name] = [value];
  };
  if (!isObject(resource)) return out;

  set(ATTRIBUTE.displayName, text(pick(resource, 'displayName')));
  set(ATTRIBUTE.externalId, text(pick(resource, 'externalId')));
  if (objectType === 'group') {
    const members = asArray(pick(resource, 'members')).map(refValue).filter((v): v is string => v !== undefined);
    if (members.length) out[ATTRIBUTE.members] = [...new Set(members)];
    return out;
  }

  set(ATTRIBUTE.userName, text(pick(resource, 'userName')));
  set(ATTRIBUTE.title, text(pick(resource, 'title')));
  const active = parseBoolean(pick(resource, 'active'));
  if (active !== undefined) set(ATTRIBUTE.active, String(active));

  const name = pick(resource, 'name');
  set(ATTRIBUTE.givenName, text(pick(name, 'givenName')));
  set(ATTRIBUTE.familyName, text(pick(name, 'familyName')));
  set(ATTRIBUTE.workEmail, workValue(pick(resource, 'emails')));
  set(ATTRIBUTE.workPhone, workValue(pick(resource, 'phoneNumbers')));

  const extension = pick(resource, SCHEMA.enterpriseUser);
  set(ATTRIBUTE.employeeNumber, text(pick(extension, 'employeeNumber')));
  set(ATTRIBUTE.department, text(pick(extension, 'department')));
  set(ATTRIBUTE.manager, refValue(pick(extension, 'manager')));

  // Flat spellings: "name.givenName", "urn:...:enterprise:2.0:User:department", `emails[type eq "work"].value`.
  for (const [key, value] of Object.entries(resource)) {
    const attribute = canonicalAttribute('user', key);
    if (!attribute || !/[.:[]/.test(key)) continue;
    set(attribute, attribute === ATTRIBUTE.manager ? refValue(value) : attribute === ATTRIBUTE.active ? boolText(value) : text(value));
  }
  return out;
}

function boolText(v: Json): string | undefined {
  const b = parseBoolean(v);
  return b === undefined ? undefined : String(b);
}

/**
 * The value of the entry typed "work" (the primary one first), or of the only entry if it has no
 * type at all: a lone untyped address is what a minimal server sends for the work address.
 */
function workValue(v: Json | undefined): string | undefined {
  const entries = asArray(v).map((e) => (isObject(e) ? e : ({ value: e } as JsonObject)));
  const work = entries.filter((e) => text(pick(e, 'type'))?.toLowerCase() === 'work');
  const chosen = work.find((e) => parseBoolean(pick(e, 'primary'))) ?? work[0] ?? (entries.length === 1 && pick(entries[0], 'type') === undefined ? entries[0] : undefined);
  return chosen ? text(pick(chosen, 'value')) : undefined;
}
