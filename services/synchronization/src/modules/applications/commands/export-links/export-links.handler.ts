import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Subjects } from '@idsync/contracts';
import { MessageBus, type BlobLocation, type BlobStore } from '@idsync/messaging';
import { BLOBS } from '@idsync/runtime';
import { DataSource } from 'typeorm';
import { tables } from '../../tables';

/**
 * Hands preparation the job's known links (source key → destination anchor), so a linked
 * object is found by its anchor even when the attribute it was matched on has changed; with each,
 * the source's own anchor of the key where known (source_anchors), so that an incremental run can
 * tell the links of the source objects reported deleted, and the DN the link recorded (for a link
 * whose destination anchor no run has read yet: an object a plan created).
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
      async (cmd): Promise<BlobLocation> => this.blobs.write('links', `${cmd.runId}/links.ndjson`, this.linkLines(cmd.jobId)),
      async (cmd, { publish }, ref) => {
        await publish(Subjects.linksExported, { runId: cmd.runId, links: ref });
      },
    );
  }

  /** The job's links as lines, read a page at a time by source key: a million links are never held at once. */
  private async *linkLines(jobId: string): AsyncIterable<string> {
    const t = tables(this.ds);
    let after = '';
    for (;;) {
      const rows: LinkRow[] = await this.ds.query(
        `SELECT l.source_key, l.anchor, l.dn, s.source_anchor FROM ${t.links} l
         LEFT JOIN ${t.sourceAnchors} s ON s.job_id = l.job_id AND s.source_key = l.source_key
         WHERE l.job_id = $1 AND l.source_key > $2 AND (l.anchor <> '' OR s.source_anchor IS NOT NULL) ORDER BY l.source_key LIMIT ${PAGE}`,
        [jobId, after],
      );
      for (const r of rows) yield linkLine(r);
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1].source_key;
    }
  }
}

const PAGE = 10_000;

type LinkRow = { source_key: string; anchor: string; dn: string; source_anchor: string | null };

function linkLine(r: LinkRow): string {
  if (r.source_anchor === null) return JSON.stringify({ sourceKey: r.source_key, anchor: r.anchor });
  return JSON.stringify({ sourceKey: r.source_key, anchor: r.anchor, sourceAnchor: r.source_anchor, ...(r.anchor ? {} : { dn: r.dn }) });
}
