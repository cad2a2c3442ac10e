import { ANY_OBJECT_TYPE, changedValues, ConnectorError, type Capabilities, type Connector, type ConnectorObject, type ConnectorOperation, type ConnectorSchema, type OperationOutcome, type ReadOptions } from '@idsync/connector-core';
import { randomUUID, createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { observedSchema } from './ldif-discover';
import { formatEntry, parseLdif, type LdifEntry } from './ldif-format';

export interface LdifConnectorOptions {
  /** The LDIF file that plays the directory. Created on first write. */
  path: string;
  baseDn: string;
}

/**
 * A directory kept in one LDIF file: a destination that needs no server, for the embedded
 * demo and for handing a result to `ldapadd`. Writes are atomic (temporary file, then
 * rename), so a crash leaves the old file or the new one, never half of one. The whole file
 * is held in memory while a batch is applied: it is meant for demos and small directories.
 */
export class LdifConnector implements Connector {
  readonly kind = 'ldif';
  readonly capabilities: Capabilities = { read: true, write: true, incremental: false };

  constructor(private readonly options: LdifConnectorOptions) {}

  async testConnection(): Promise<void> {
    if (!this.options.path) throw new ConnectorError('CONNECTOR.CONFIG', 'an LDIF connection needs a path');
    // The file itself may be missing (an empty directory, created on the first write); its folder may not.
    const folder = dirname(this.options.path);
    if (!existsSync(folder)) {
      throw new ConnectorError('LDIF.FOLDER_NOT_FOUND', `${this.options.path}: the folder ${folder} does not exist`, { file: this.options.path });
    }
  }

  async *readSnapshot(options: ReadOptions): AsyncIterable<ConnectorObject[]> {
    const entries = await this.load();
    const pageSize = options.pageSize ?? 1000;
    const wanted = options.attributes?.map((a) => a.toLowerCase());
    const people = entries.filter((e) => e.dn.toLowerCase() !== this.options.baseDn.toLowerCase() && !/^ou=/i.test(e.dn));
    for (let i = 0; i < people.length; i += pageSize) {
      yield people.slice(i, i + pageSize).map((e) => ({
        key: e.dn,
        anchor: e.attributes[ENTRY_UUID]?.[0] ?? anchorOf(e.dn),
        attributes: Object.fromEntries(Object.entries(e.attributes).filter(([k]) => k !== ENTRY_UUID && (!wanted || wanted.includes(k.toLowerCase()) || k === 'objectClass'))),
      }));
    }
  }

  /**
   * The attributes of the entries a read returns, as the file's one object type (ANY_OBJECT_TYPE): see
   * observedSchema. A missing file is an empty directory, whose only attribute is the entryUUID anchor.
   */
  async discover(): Promise<ConnectorSchema> {
    const objects: ConnectorObject[] = [];
    for await (const page of this.readSnapshot({ objectType: ANY_OBJECT_TYPE })) objects.push(...page);
    return observedSchema(objects);
  }

  async apply(operations: ConnectorOperation[]): Promise<OperationOutcome[]> {
    const entries = await this.load();
    const byDn = new Map(entries.map((e) => [e.dn.toLowerCase(), e]));
    const outcomes: OperationOutcome[] = operations.map((op) => {
      const key = op.dn.toLowerCase();
      const existing = byDn.get(key);
      if (op.kind === 'delete') {
        byDn.delete(key);
        return { status: 'succeeded' };
      }
      if (op.kind === 'create') {
        if (existing) return { status: 'succeeded', message: 'already exists' };
        const entry: LdifEntry = { dn: op.dn, attributes: { objectClass: op.objectClasses ?? [], [ENTRY_UUID]: [randomUUID()] } };
        changeValues(entry, op);
        byDn.set(key, entry);
        return { status: 'succeeded' };
      }
      if (op.kind === 'rename') return renameEntry(byDn, op);
      if (!existing) return { status: 'failed', message: `no such object: ${op.dn}` };
      changeValues(existing, op);
      return { status: 'succeeded' };
    });
    await this.save([...byDn.values()]);
    return outcomes;
  }

  /** The anchors of entries by DN (Connector.readAnchors), as readSnapshot gives them. */
  async readAnchors(dns: string[]): Promise<Map<string, string>> {
    const byDn = new Map((await this.load()).map((e) => [e.dn.toLowerCase(), e]));
    const anchors = new Map<string, string>();
    for (const dn of dns) {
      const e = byDn.get(dn.toLowerCase());
      if (e) anchors.set(dn, e.attributes[ENTRY_UUID]?.[0] ?? anchorOf(e.dn));
    }
    return anchors;
  }

  async close(): Promise<void> {}

  private async load(): Promise<LdifEntry[]> {
    if (!existsSync(this.options.path)) return [];
    try {
      return [...parseLdif(await readFile(this.options.path, 'utf8'))];
    } catch (e) {
      throw new ConnectorError('LDIF.MALFORMED', `${this.options.path} ${(e as Error).message}`, { file: this.options.path });
    }
  }

  private async save(entries: LdifEntry[]): Promise<void> {
    entries.sort((a, b) => depth(a.dn) - depth(b.dn) || a.dn.localeCompare(b.dn));
    const tmp = `${this.options.path}.${randomUUID()}.tmp`;
    await writeFile(tmp, 'version: 1\n\n' + entries.map(formatEntry).join('\n'));
    await rename(tmp, this.options.path);
  }
}

function depth(dn: string): number {
  return dn.split(/(?<!\\),/).length;
}

/** Written with every entry this connector creates, as slapd does: the anchor, kept through renames. */
const ENTRY_UUID = 'entryUUID';

/** A stable anchor for an entry written without entryUUID (by another tool): derived from the DN. */
function anchorOf(dn: string): string {
  return createHash('sha1').update(dn.toLowerCase()).digest('hex');
}

/** Moves an entry to its new DN, then applies the changes there. An old DN gone with the new one there: already renamed. */
function renameEntry(byDn: Map<string, LdifEntry>, op: ConnectorOperation): OperationOutcome {
  if (!op.newDn) return { status: 'failed', message: `a rename of ${op.dn} needs the new DN` };
  const from = op.dn.toLowerCase();
  const to = op.newDn.toLowerCase();
  const entry = byDn.get(from);
  const already = byDn.get(to);
  if (!entry && !already) return { status: 'failed', message: `no such object: ${op.dn}` };
  if (entry && already && from !== to) return { status: 'failed', message: `${op.newDn} already exists` };
  const target = (entry ?? already)!;
  byDn.delete(from);
  target.dn = op.newDn;
  byDn.set(to, target);
  changeValues(target, op);
  return entry ? { status: 'succeeded' } : { status: 'succeeded', message: 'already renamed' };
}

/**
 * The changes, in order, on the attributes whatever the case of their names: replace sets the values, add joins
 * values not there, remove drops values there (see changedValues); an attribute left without values goes.
 */
function changeValues(entry: LdifEntry, op: ConnectorOperation): void {
  for (const c of op.changes) {
    const name = Object.keys(entry.attributes).find((k) => k.toLowerCase() === c.attribute.toLowerCase()) ?? c.attribute;
    const values = changedValues(entry.attributes[name] ?? [], c);
    if (values.length) entry.attributes[name] = values;
    else delete entry.attributes[name];
  }
}
