import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Subjects } from '@idsync/contracts';
import { MessageBus, type BlobLocation, type BlobStore } from '@idsync/messaging';
import { BLOBS } from '@idsync/runtime';
import { DataSource } from 'typeorm';
import { tables } from '../../tables';

/**
 * Hands preparation the job's known links (source key → destination anchor), so a linked
 * object is found by its anchor even when the attribute it was matched on has changed.
 */
@Injectable()
export class ExportLinksHandler implements OnModuleInit {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(BLOBS) private readonly blobs: BlobStore,
  ) {}

  onModuleInit(): void {
    this.bus.process(
      Subjects.exportLinks,
      async (cmd): Promise<BlobLocation> => {
        const rows: { source_key: string; anchor: string }[] = await this.ds.query(
          `SELECT source_key, anchor FROM ${tables(this.ds).links} WHERE job_id = $1 AND anchor <> '' ORDER BY source_key`,
          [cmd.jobId],
        );
        return this.blobs.write('links', `${cmd.runId}/links.ndjson`, rows.map((r) => JSON.stringify({ sourceKey: r.source_key, anchor: r.anchor })));
      },
      async (cmd, { publish }, ref) => {
        await publish(Subjects.linksExported, { runId: cmd.runId, links: ref });
      },
    );
  }
}
