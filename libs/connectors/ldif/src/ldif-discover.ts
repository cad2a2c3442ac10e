import { ANY_OBJECT_TYPE, type AttributeSchema, type ConnectorObject, type ConnectorSchema } from '@idsync/connector-core';

/**
 * The attributes the objects of an LDIF file carry, as the file's one object type: a file has no schema, so this is
 * what is there today (origin 'observed'). Each attribute is a string, multi-valued when some entry holds several
 * values, and not required; the object classes seen are the native names. Keyed by DN, anchored by entryUUID (which
 * the connector writes with every entry it creates), listed read-only.
 */
export function observedSchema(objects: ConnectorObject[]): ConnectorSchema {
  const seen = new Map<string, AttributeSchema>();
  const classes = new Set<string>();
  for (const o of objects) {
    for (const [name, values] of Object.entries(o.attributes)) {
      const key = name.toLowerCase();
      const attribute = seen.get(key) ?? { name, type: 'string', multiValued: false, required: false };
      attribute.multiValued ||= values.length > 1;
      seen.set(key, attribute);
      if (key === 'objectclass') values.forEach((v) => classes.add(v));
    }
  }
  seen.set('entryuuid', { name: ENTRY_UUID, type: 'string', multiValued: false, required: false, readOnly: true });
  const attributes = [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { origin: 'observed', objectTypes: [{ name: ANY_OBJECT_TYPE, nativeNames: [...classes].sort(), anchor: ENTRY_UUID, key: 'dn', attributes }] };
}

const ENTRY_UUID = 'entryUUID';
