import type { Connector } from '@idsync/connector-core';
import { CsvConnector } from '@idsync/connector-csv';
import { LdapConnector } from '@idsync/connector-ldap';
import { LdifConnector } from '@idsync/connector-ldif';
import type { ResolvedConnection } from './connection.repository';

/** Builds the connector plugin for a connection. The only place that knows every kind. */
export function buildConnector(c: ResolvedConnection): Connector {
  switch (c.kind) {
    case 'csv':
      return new CsvConnector({
        path: c.settings.path,
        delimiter: c.settings.delimiter || ',',
        multiValueSeparator: c.settings.multiValueSeparator || undefined,
      });
    case 'ldap':
      return new LdapConnector({
        url: c.settings.url,
        bindDn: c.settings.bindDn,
        password: c.secrets.password,
        baseDn: c.settings.baseDn,
        searchBase: c.settings.searchBase || undefined,
      });
    case 'ldif':
      return new LdifConnector({ path: c.settings.path, baseDn: c.settings.baseDn });
    default:
      throw new Error(`no connector for kind ${c.kind}`);
  }
}
