import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Subjects } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { DataSource } from 'typeorm';
import { countResults } from '../../counters';
import { tables } from '../../tables';

/** Per-object results of a run, failures first. */
@Injectable()
export class ReadResultsHandler implements OnModuleInit {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(DataSource) private readonly ds: DataSource,
  ) {}

  onModuleInit(): void {
    this.bus.answer(Subjects.getResults, async ({ runId, offset, limit }) => {
      const t = tables(this.ds);
      const rows: { index: number; kind: number; dn: string; source_key: string; status: number; message: string }[] = await this.ds.query(
        `SELECT o.index, o.kind, o.dn, o.source_key, coalesce(r.status, 0) AS status, coalesce(r.message, '') AS message
         FROM ${t.operations} o LEFT JOIN ${t.results} r USING (run_id, index) WHERE o.run_id = $1
         ORDER BY (coalesce(r.status, 0) = 1), o.index OFFSET $2 LIMIT $3`,
        [runId, offset, Math.min(limit || 100, 500)],
      );
      const { done: _done, ...counters } = await countResults(this.ds, runId);
      return {
        counters,
        total: counters.total,
        results: rows.map((r) => ({ index: r.index, kind: r.kind, dn: r.dn, sourceKey: r.source_key, status: r.status, message: r.message })),
      };
    });
  }
}
