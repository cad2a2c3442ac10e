import { ConnectorError, type ConnectorSchema } from '@idsync/connector-core';
import type { Client } from 'ldapts';
import { filterClasses, LdapSchema } from './ldap-schema';

/** What discoverSchema needs of a directory connector. */
export interface SchemaSource {
  /** The object types the connector reads, each with its search filter. */
  filters: Record<string, string>;
  /** entryUUID (RFC 4530), objectGUID (AD). */
  anchor: string;
  /** Attributes the server or the connector fills on a create, never required of it (objectClass, AD's objectCategory). */
  serverSet: string[];
  /** The server's URL, for error messages. */
  url: string;
}

/**
 * Reads the subschema subentry the root DSE names (RFC 4512 §4.2: `subschemaSubentry`, then its `attributeTypes`,
 * `objectClasses` and `dITContentRules`, scope base, filter (objectClass=subschema)), and describes each object type
 * by the object classes its filter asks for (see filterClasses). A type whose filter names no class has only its anchor.
 * Throws LDAP.NO_SCHEMA when the server publishes no subschema; search failures are the caller's to map.
 *
 * @example
 *   const schema = await discoverSchema(client, timeLimit, { filters: { user: '(objectClass=inetOrgPerson)' }, anchor: 'entryUUID', serverSet: ['objectClass'], url });
 */
export async function discoverSchema(client: Client, timeLimit: number, source: SchemaSource, codePrefix = 'LDAP'): Promise<ConnectorSchema> {
  const root = await client.search('', { scope: 'base', filter: '(objectClass=*)', attributes: ['subschemaSubentry'], timeLimit });
  const subentry = root.searchEntries[0]?.subschemaSubentry;
  const dn = Array.isArray(subentry) ? subentry[0] : subentry;
  if (typeof dn !== 'string' || !dn) {
    throw new ConnectorError(`${codePrefix}.NO_SCHEMA`, `${source.url} names no subschemaSubentry in its root DSE, so its schema cannot be read; check that the bind account may read the root DSE`, { url: source.url });
  }
  const { searchEntries } = await client.search(dn, { scope: 'base', filter: '(objectClass=subschema)', attributes: ['attributeTypes', 'objectClasses', 'dITContentRules'], timeLimit });
  const entry = searchEntries[0];
  const values = (name: string): string[] => [entry?.[name] ?? []].flat().map(String);
  const schema = LdapSchema.parse({ attributeTypes: values('attributeTypes'), objectClasses: values('objectClasses'), dITContentRules: values('dITContentRules') });
  if (!values('objectClasses').length) {
    throw new ConnectorError(`${codePrefix}.NO_SCHEMA`, `the subschema subentry ${dn} on ${source.url} returned no object classes; check that the bind account may read it`, { url: source.url, dn });
  }
  return {
    origin: 'peer',
    objectTypes: Object.entries(source.filters).map(([name, filter]) => schema.objectType({ name, ...filterClasses(filter), anchor: source.anchor, serverSet: source.serverSet })),
  };
}
