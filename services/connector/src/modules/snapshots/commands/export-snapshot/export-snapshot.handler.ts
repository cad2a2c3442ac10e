import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SnapshotRole, Subjects } from '@idsync/contracts';
import type { ConnectorObject } from '@idsync/connector-core';
import { MessageBus, type BlobLocation, type BlobStore } from '@idsync/messaging';
import type { Logger } from '@idsync/observability';
import { BLOBS, LOGGER } from '@idsync/runtime';
import { ConnectionRepository } from '../../../connections/connection.repository';
import { buildConnector } from '../../../connections/connector.factory';

type Outcome =
  | { ok: true; ref: BlobLocation; baseDn: string }
  | { ok: false; error: { code: string; message: string; details: Record<string, string> } };

/**
 * Reads a full snapshot into the blob store, page by page. A read that does not finish is
 * reported as failed — never as a (smaller) complete snapshot — so nothing downstream can
 * mistake it for "these objects are gone".
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
        const role = cmd.role === SnapshotRole.SOURCE ? 'source' : 'destination';
        try {
          const conn = await this.connections.resolve(cmd.connectionId);
          const connector = buildConnector(conn);
          try {
            await connector.testConnection();
            const pages = connector.readSnapshot({
              objectType: cmd.objectType,
              keyAttribute: cmd.keyAttribute || undefined,
              attributes: cmd.attributes.length ? cmd.attributes : undefined,
            });
            const ref = await this.blobs.write('snapshots', `${cmd.runId}/${role}.ndjson`, lines(pages));
            this.log.info({ runId: cmd.runId, role, records: ref.records }, 'snapshot exported');
            return { ok: true, ref, baseDn: conn.settings.baseDn ?? '' };
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
        if (outcome.ok) await publish(Subjects.snapshotExported, { runId: cmd.runId, role: cmd.role, snapshot: outcome.ref, baseDn: outcome.baseDn });
        else await publish(Subjects.snapshotFailed, { runId: cmd.runId, role: cmd.role, error: outcome.error });
      },
    );
  }
}

async function* lines(pages: AsyncIterable<ConnectorObject[]>): AsyncIterable<string> {
  for await (const page of pages) for (const o of page) yield JSON.stringify({ key: o.key, anchor: o.anchor, attributes: o.attributes });
}
