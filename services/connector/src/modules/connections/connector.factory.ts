import { ActiveDirectoryConnector } from '@idsync/connector-ad';
import type { Connector } from '@idsync/connector-core';
import { CsvConnector, type CsvConnectorOptions } from '@idsync/connector-csv';
import { LdapConnector } from '@idsync/connector-ldap';
import { LdifConnector } from '@idsync/connector-ldif';
import { ScimConnector } from '@idsync/connector-scim';
import { SqlConnector } from '@idsync/connector-sql';
import { XlsxConnector } from '@idsync/connector-xlsx';
import { readFileSync } from 'node:fs';
import type { ResolvedConnection } from './connection.repository';

/** Builds the connector plugin for a connection. The only place that knows every kind. */
export function buildConnector(c: ResolvedConnection): Connector {
  switch (c.kind) {
    case 'csv':
      return new CsvConnector({
        path: c.settings.path,
        delimiter: c.settings.delimiter || ',',
        multiValueSeparator: c.settings.multiValueSeparator || undefined,
        encoding: (c.settings.encoding || undefined) as CsvConnectorOptions['encoding'],
        keyColumn: c.settings.keyColumn || undefined,
      });
    case 'xlsx':
      return new XlsxConnector({ path: c.settings.path, sheet: c.settings.sheet, keyColumn: c.settings.keyColumn || undefined });
    case 'ldap':
      return new LdapConnector({
        url: c.settings.url,
        bindDn: c.settings.bindDn,
        password: c.secrets.password,
        baseDn: c.settings.baseDn,
        searchBase: c.settings.searchBase || undefined,
        groupSearchBase: c.settings.groupSearchBase || undefined,
        startTls: c.settings.startTls === 'true',
        tls: c.settings.caFile ? { ca: [readFileSync(c.settings.caFile, 'utf8')], servername: c.settings.tlsServerName || undefined } : undefined,
      });
    case 'ldif':
      return new LdifConnector({ path: c.settings.path, baseDn: c.settings.baseDn });
    case 'active-directory':
      return new ActiveDirectoryConnector({
        url: c.settings.url,
        bindDn: c.settings.bindDn,
        password: c.secrets.password,
        baseDn: c.settings.baseDn,
        searchBase: c.settings.searchBase || undefined,
        tlsOptions: c.settings.caFile ? { ca: [readFileSync(c.settings.caFile)], servername: c.settings.tlsServerName || undefined } : undefined,
      });
    case 'sql':
      return new SqlConnector({
        url: c.secrets.url,
        table: c.settings.table,
        keyColumn: c.settings.keyColumn,
        watermarkColumn: c.settings.watermarkColumn || undefined,
      });
    case 'scim':
      return new ScimConnector({
        baseUrl: c.settings.baseUrl,
        token: c.secrets.token,
        objectType: c.settings.objectType === 'group' ? 'group' : 'user',
      });
    default:
      throw new Error(`no connector for kind ${c.kind}`);
  }
}
