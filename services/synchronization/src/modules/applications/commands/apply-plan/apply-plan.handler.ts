import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { fromJsonString, OperationSchema, Subjects, type Operation } from '@idsync/contracts';
import { MessageBus, type BlobStore } from '@idsync/messaging';
import { BLOBS } from '@idsync/runtime';
import { returnedRows } from '@idsync/persistence';
import { tables } from '../../tables';

export const BATCH_SIZE = 100;

/**
 * Takes a run's plan and sends it to the connector service in batches. The operations are
 * stored first: what gets applied and recorded is exactly the plan received, even if the
 * plan blob were to change or vanish afterwards.
 */
@Injectable()
export class ApplyPlanHandler implements OnModuleInit {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(BLOBS) private readonly blobs: BlobStore,
  ) {}

  onModuleInit(): void {
    this.bus.process(
      Subjects.applyPlan,
      async (cmd) => {
        const lines: string[] = [];
        if (cmd.plan) for await (const line of this.blobs.read(cmd.plan)) lines.push(line);
        const links: { sourceKey: string; anchor: string }[] = [];
        if (cmd.links) for await (const line of this.blobs.read(cmd.links)) links.push(JSON.parse(line));
        return { lines, links };
      },
      async (cmd, { manager, publish }, { lines, links }) => {
        const t = tables(manager);
        const created = returnedRows(
          await manager.query(
            `INSERT INTO ${t.applications} (run_id, job_id, connection_id, requested_by, total, state) VALUES ($1, $2, $3, $4, $5, 'applying')
             ON CONFLICT DO NOTHING RETURNING run_id`,
            [cmd.runId, cmd.jobId, cmd.destinationConnectionId, cmd.requestedBy, lines.length],
          ),
        );
        if (created.length === 0) return;
        // Matches the plan found by rule become links: next time the object is found by its anchor.
        for (let i = 0; i < links.length; i += 1000) {
          const chunk = links.slice(i, i + 1000);
          await manager.query(
            `INSERT INTO ${t.links} (job_id, source_key, anchor, dn, run_id)
             SELECT $1, unnest($2::text[]), unnest($3::text[]), '', $4
             ON CONFLICT (job_id, source_key) DO UPDATE SET anchor = EXCLUDED.anchor, run_id = EXCLUDED.run_id, updated_at = now()`,
            [cmd.jobId, chunk.map((l) => l.sourceKey), chunk.map((l) => l.anchor), cmd.runId],
          );
        }
        if (lines.length === 0) {
          await manager.query(`UPDATE ${t.applications} SET state = 'applied', finished_at = now() WHERE run_id = $1`, [cmd.runId]);
          await publish(Subjects.planApplied, { runId: cmd.runId, counters: { total: 0 } });
          return;
        }
        const ops: Operation[] = lines.map((l) => fromJsonString(OperationSchema, l));
        for (let b = 0; b * BATCH_SIZE < ops.length; b++) {
          const batch = ops.slice(b * BATCH_SIZE, (b + 1) * BATCH_SIZE);
          await manager.query(
            `INSERT INTO ${t.operations} (run_id, index, batch_no, kind, dn, source_key, body)
             SELECT $1, unnest($2::int[]), $3, unnest($4::int[]), unnest($5::text[]), unnest($6::text[]), unnest($7::text[])`,
            [cmd.runId, batch.map((o) => o.index), b, batch.map((o) => o.kind), batch.map((o) => o.dn), batch.map((o) => o.sourceKey), batch.map((_, i) => lines[b * BATCH_SIZE + i])],
          );
          await publish(Subjects.applyBatch, { runId: cmd.runId, connectionId: cmd.destinationConnectionId, batchNo: b, operations: batch });
        }
      },
    );
  }
}
