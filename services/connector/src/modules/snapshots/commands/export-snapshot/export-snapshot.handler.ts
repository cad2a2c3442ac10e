import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SnapshotRole, Subjects } from '@idsync/contracts';
import { ConnectorError, isIncremental, type Connector, type ConnectorObject, type ReadOptions } from '@idsync/connector-core';
import { MessageBus, readLines, type BlobLocation, type BlobStore } from '@idsync/messaging';
import type { Logger } from '@idsync/observability';
import { BLOBS, LOGGER } from '@idsync/runtime';
import { ConnectionRepository } from '../../../connections/connection.repository';
import { buildConnector } from '../../../connections/connector.factory';

type Outcome =
  | { ok: true; ref: BlobLocation; baseDn: string; watermark: string; deletionsReported: number; deleted?: BlobLocation }
  | { ok: false; error: { code: string; message: string; details: Record<string, string> } };

/**
 * Reads a full snapshot — or, for an incremental run's source, the objects changed since a
 * watermark — into the blob store, page by page. A read that does not finish is reported as
 * failed — never as a (smaller) complete snapshot — so nothing downstream can mistake it for
 * "these objects are gone"; and the watermark is only handed on once every change is stored.
 * The anchors of the objects a change read reports deleted go to a blob of their own
 * (`<run>/source-deleted.ndjson`), spooled to a local file as the pages go by.
 */
@Injectable()
export class ExportSnapshotHandler implements OnModuleInit {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(ConnectionRepository) private readonly connections: ConnectionRepository,
    @Inject(BLOBS) private readonly blobs: BlobStore,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onModuleInit(): void {
    this.bus.process(
      Subjects.exportSnapshot,
      async (cmd): Promise<Outcome> => {
        const role = cmd.role === SnapshotRole.SOURCE ? 'source' : cmd.role === SnapshotRole.GROUPS ? 'groups' : 'destination';
        try {
          const conn = await this.connections.resolve(cmd.connectionId);
          const connector = buildConnector(conn);
          try {
            const options: ReadOptions = {
              objectType: cmd.objectType,
              keyAttribute: cmd.keyAttribute || undefined,
              attributes: cmd.attributes.length ? cmd.attributes : undefined,
            };
            // A source that cannot read changes is a job error, said before anything is tried.
            const deleted = new AnchorSpool();
            try {
              const read = cmd.changesOnly ? changes(connector, cmd.since || undefined, options, cmd.connectionId, deleted) : { pages: connector.readSnapshot(options), watermark: () => '' };
              await connector.testConnection();
              const ref = await this.blobs.write('snapshots', `${cmd.runId}/${role}.ndjson`, lines(read.pages));
              const deletedRef = deleted.count ? await this.blobs.write('snapshots', `${cmd.runId}/${role}-deleted.ndjson`, await deleted.lines()) : undefined;
              this.log.info({ runId: cmd.runId, role, records: ref.records, changesOnly: cmd.changesOnly, deleted: deleted.count }, 'snapshot exported');
              return { ok: true, ref, baseDn: conn.settings.baseDn ?? '', watermark: read.watermark(), deletionsReported: deleted.count, deleted: deletedRef };
            } finally {
              await deleted.dispose();
            }
          } finally {
            await connector.close().catch(() => undefined);
          }
        } catch (e) {
          const err = e as { code?: string; message: string; details?: Record<string, string> };
          this.log.warn({ runId: cmd.runId, role, code: err.code, err: err.message }, 'snapshot failed');
          return {
            ok: false,
            error: { code: err.code ?? 'CONNECTOR.READ_FAILED', message: `${role} ${err.message}`, details: { ...(err.details ?? {}), connectionId: cmd.connectionId, role } },
          };
        }
      },
      async (cmd, { publish }, outcome) => {
        if (outcome.ok) {
          await publish(Subjects.snapshotExported, {
            runId: cmd.runId, role: cmd.role, snapshot: outcome.ref, baseDn: outcome.baseDn, watermark: outcome.watermark, deletionsReported: outcome.deletionsReported,
            deleted: outcome.deleted,
          });
        }
        else await publish(Subjects.snapshotFailed, { runId: cmd.runId, role: cmd.role, error: outcome.error });
      },
    );
  }
}

async function* lines(pages: AsyncIterable<ConnectorObject[]>): AsyncIterable<string> {
  for await (const page of pages) for (const o of page) yield JSON.stringify({ key: o.key, anchor: o.anchor, attributes: o.attributes });
}

/**
 * The changed objects as pages, and — once they are all read — the last watermark; the anchors of
 * the deletions reported go to `deleted` as they come.
 */
function changes(connector: Connector, since: string | undefined, options: ReadOptions, connectionId: string, deleted: AnchorSpool) {
  if (!isIncremental(connector)) {
    throw new ConnectorError('CONNECTOR.NOT_INCREMENTAL', `connection ${connectionId} (${connector.kind}) cannot read changes since a watermark; run the job in complete mode`, { connectionId, kind: connector.kind });
  }
  const reader = connector;
  let watermark = '';
  async function* pages(): AsyncIterable<ConnectorObject[]> {
    let seen = false;
    for await (const page of reader.readChanges(since, options)) {
      seen = true;
      watermark = page.watermark;
      await deleted.add(page.deleted);
      if (page.objects.length) yield page.objects;
    }
    if (!seen) throw new ConnectorError('CONNECTOR.NO_WATERMARK', `connection ${connectionId} (${connector.kind}) read changes without giving a watermark`, { connectionId });
  }
  return { pages: pages(), watermark: () => watermark };
}

/**
 * Deleted anchors, one `{"anchor": "..."}` line each, in a local file while the changes are read:
 * the blob store writes one blob from one stream, and the deletions come interleaved with the
 * changed objects, so they wait on disk (not in memory: a source may report very many).
 */
class AnchorSpool {
  count = 0;
  private path?: string;
  private out?: WriteStream;

  async add(anchors: string[]): Promise<void> {
    for (const anchor of anchors) {
      if (!anchor) continue;
      if (!this.out) {
        this.path = join(tmpdir(), `idsync-deleted-${randomUUID()}.ndjson`);
        this.out = createWriteStream(this.path);
      }
      this.count++;
      if (!this.out.write(JSON.stringify({ anchor }) + '\n')) await once(this.out, 'drain');
    }
  }

  /** The lines written, once every anchor is in; call after the last add(). */
  async lines(): Promise<AsyncIterable<string>> {
    const out = this.out!;
    out.end();
    await once(out, 'finish');
    return readLines(createReadStream(this.path!));
  }

  async dispose(): Promise<void> {
    this.out?.destroy();
    if (this.path) await rm(this.path, { force: true });
  }
}
