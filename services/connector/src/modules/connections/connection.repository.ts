import { Inject, Injectable } from '@nestjs/common';
import { IdsyncError, type ConnectionSpec, type MessageInitShape, type ConnectionSpecSchema } from '@idsync/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { ConnectionRow } from '../../database';
import { CONNECTOR_CONFIG, type ConnectorConfig } from '../../connector.config';
import { SecretBox } from './secret-box';

/** Connection settings are per kind; these must be present to save one. */
const required: Record<string, { settings: string[]; secrets: string[] }> = {
  csv: { settings: ['path'], secrets: [] },
  xlsx: { settings: ['path', 'sheet'], secrets: [] },
  ldap: { settings: ['url', 'bindDn', 'baseDn'], secrets: ['password'] },
  ldif: { settings: ['path', 'baseDn'], secrets: [] },
  'active-directory': { settings: ['url', 'bindDn', 'baseDn'], secrets: ['password'] },
  scim: { settings: ['baseUrl'], secrets: ['token'] },
  // The database URL carries the password, so it is a secret as a whole.
  sql: { settings: ['table', 'keyColumn'], secrets: ['url'] },
};

export interface ResolvedConnection {
  id: string;
  kind: string;
  settings: Record<string, string>;
  secrets: Record<string, string>;
}

@Injectable()
export class ConnectionRepository {
  private readonly box: SecretBox;

  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(CONNECTOR_CONFIG) config: ConnectorConfig,
  ) {
    this.box = new SecretBox(config.secretKey);
  }

  async save(m: EntityManager, spec: ConnectionSpec, secrets: Record<string, string>): Promise<ConnectionRow> {
    const rule = required[spec.kind];
    if (!rule) throw new IdsyncError('CONNECTION.UNKNOWN_KIND', `connection kind "${spec.kind}" is not supported (csv, xlsx, ldap, active-directory, ldif, scim, sql)`, { kind: spec.kind });
    const existing = spec.id ? await m.getRepository(ConnectionRow).findOneBy({ id: spec.id }) : null;
    const merged = { ...(existing ? this.box.open(existing.secretsSealed) : {}), ...secrets };
    const problems: Record<string, string> = {};
    for (const s of rule.settings) if (!spec.settings[s]) problems[`settings.${s}`] = `a ${spec.kind} connection needs ${s}`;
    for (const s of rule.secrets) if (!merged[s]) problems[`secrets.${s}`] = `a ${spec.kind} connection needs the secret ${s}`;
    if (!spec.name) problems.name = 'a connection needs a name';
    if (Object.keys(problems).length) {
      throw new IdsyncError('CONNECTION.INVALID', `the connection is not valid: ${Object.values(problems).join('; ')}`, problems);
    }
    const row = m.getRepository(ConnectionRow).create({
      id: spec.id || crypto.randomUUID(),
      name: spec.name,
      kind: spec.kind,
      settings: { ...spec.settings },
      secretsSealed: this.box.seal(merged),
      secretNames: Object.keys(merged).sort(),
    });
    return m.getRepository(ConnectionRow).save(row);
  }

  async get(id: string): Promise<ConnectionRow> {
    const row = await this.ds.getRepository(ConnectionRow).findOneBy({ id });
    if (!row) throw new IdsyncError('CONNECTION.NOT_FOUND', `connection ${id} does not exist`, { connectionId: id });
    return row;
  }

  async list(): Promise<ConnectionRow[]> {
    return this.ds.getRepository(ConnectionRow).find({ order: { name: 'ASC' } });
  }

  /** The connection with its secrets opened: only for building a connector, never for an answer. */
  async resolve(id: string): Promise<ResolvedConnection> {
    const row = await this.get(id);
    return { id: row.id, kind: row.kind, settings: row.settings, secrets: this.box.open(row.secretsSealed) };
  }

  static toContract(r: ConnectionRow): MessageInitShape<typeof ConnectionSpecSchema> {
    return { id: r.id, name: r.name, kind: r.kind, settings: r.settings, secretsSet: r.secretNames };
  }
}
