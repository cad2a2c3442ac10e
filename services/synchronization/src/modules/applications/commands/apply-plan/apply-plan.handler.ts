import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { fromJsonString, OperationSchema, Subjects, type Operation } from '@idsync/contracts';
import { MessageBus, type BlobStore } from '@idsync/messaging';
import { BLOBS } from '@idsync/runtime';
import { returnedRows } from '@idsync/persistence';
import type { PhaseRange } from '../../phases';
import { tables } from '../../tables';

export const BATCH_SIZE = 100;

/**
 * Takes a run's plan and sends it to the connector service in batches. The operations are
 * stored first: what gets applied and recorded is exactly the plan received, even if the
 * plan blob were to change or vanish afterwards. The plan and its links are streamed from
 * their blobs a batch at a time, never held whole, so a plan of a million creates fits.
 *
 * All of it happens in the one transaction that records the command as handled: the plan is
 * stored and its first phase queued entirely or not at all, so a crash half-way never leaves half
 * a plan to apply. The cost is a long transaction for a large plan; in embedded mode, where every
 * service shares one database session, the others wait for it.
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
      async () => undefined,
      async (cmd, { manager, publish }) => {
        const t = tables(manager);
        const total = cmd.plan?.records ?? 0;
        const created = returnedRows(
          await manager.query(
            `INSERT INTO ${t.applications} (run_id, job_id, connection_id, requested_by, total, state) VALUES ($1, $2, $3, $4, $5, 'applying')
             ON CONFLICT DO NOTHING RETURNING run_id`,
            [cmd.runId, cmd.jobId, cmd.destinationConnectionId, cmd.requestedBy, total],
          ),
        );
        if (created.length === 0) return;
        // Matches the plan found by rule become links: next time the object is found by its anchor.
        if (cmd.links) {
          for await (const chunk of inChunks(this.blobs.read(cmd.links), 1000)) {
            const links = chunk.map((line) => JSON.parse(line) as { sourceKey: string; anchor: string });
            await manager.query(
              `INSERT INTO ${t.links} (job_id, source_key, anchor, dn, run_id)
               SELECT $1, unnest($2::text[]), unnest($3::text[]), '', $4
               ON CONFLICT (job_id, source_key) DO UPDATE SET anchor = EXCLUDED.anchor, run_id = EXCLUDED.run_id, updated_at = now()`,
              [cmd.jobId, links.map((l) => l.sourceKey), links.map((l) => l.anchor), cmd.runId],
            );
          }
        }
        // The source's own anchors by key: a later incremental read reports deletions by anchor.
        if (cmd.sourceAnchors) {
          for await (const chunk of inChunks(this.blobs.read(cmd.sourceAnchors), 1000)) {
            const anchors = distinctByKey(chunk.map((line) => JSON.parse(line) as { sourceKey: string; sourceAnchor: string }));
            await manager.query(
              // Unchanged anchors (nearly all of them on every complete run) are not rewritten.
              `INSERT INTO ${t.sourceAnchors} AS a (job_id, source_key, source_anchor, run_id)
               SELECT $1, unnest($2::text[]), unnest($3::text[]), $4
               ON CONFLICT (job_id, source_key) DO UPDATE SET source_anchor = EXCLUDED.source_anchor, run_id = EXCLUDED.run_id, updated_at = now()
               WHERE a.source_anchor IS DISTINCT FROM EXCLUDED.source_anchor`,
              [cmd.jobId, anchors.map((a) => a.sourceKey), anchors.map((a) => a.sourceAnchor), cmd.runId],
            );
          }
        }
        if (total === 0 || !cmd.plan) {
          await manager.query(`UPDATE ${t.applications} SET state = 'applied', finished_at = now() WHERE run_id = $1`, [cmd.runId]);
          await publish(Subjects.planApplied, { runId: cmd.runId, counters: { total: 0 } });
          return;
        }
        // Batches never span two phases; only the first phase is sent now, the next once it has every result.
        const phases: PhaseRange[] = [];
        let b = 0;
        for await (const batch of phaseBatches(this.blobs.read(cmd.plan), BATCH_SIZE)) {
          const phase = batch[0].op.phase;
          const last = phases.at(-1);
          if (last?.phase === phase) {
            last.total += batch.length;
            last.lastBatch = b;
          } else {
            phases.push({ phase, total: batch.length, firstBatch: b, lastBatch: b });
          }
          const ops = batch.map((x) => x.op);
          await manager.query(
            `INSERT INTO ${t.operations} (run_id, index, batch_no, kind, dn, source_key, body, phase)
             SELECT $1, unnest($2::int[]), $3, unnest($4::int[]), unnest($5::text[]), unnest($6::text[]), unnest($7::text[]), $8`,
            [cmd.runId, ops.map((o) => o.index), b, ops.map((o) => o.kind), ops.map((o) => o.dn), ops.map((o) => o.sourceKey), batch.map((x) => x.line), phase],
          );
          if (phases.length === 1) await publish(Subjects.applyBatch, { runId: cmd.runId, connectionId: cmd.destinationConnectionId, batchNo: b, operations: ops });
          b++;
        }
        await manager.query(`UPDATE ${t.applications} SET phases = $2, phase = $3, phase_done = 0 WHERE run_id = $1`, [cmd.runId, JSON.stringify(phases), phases[0]?.phase ?? 0]);
      },
    );
  }
}

/** The operations of a plan blob in batches of up to `size`, a new batch at every change of phase. */
export async function* phaseBatches(lines: AsyncIterable<string>, size: number): AsyncIterable<{ line: string; op: Operation }[]> {
  let batch: { line: string; op: Operation }[] = [];
  for await (const line of lines) {
    const op = fromJsonString(OperationSchema, line);
    if (batch.length === size || (batch.length && batch[0].op.phase !== op.phase)) {
      yield batch;
      batch = [];
    }
    batch.push({ line, op });
  }
  if (batch.length) yield batch;
}

/**
 * The last of each source key's rows: one INSERT ... ON CONFLICT DO UPDATE cannot touch a row
 * twice, and a source may hold a key twice (a problem the plan reports, not a reason to fail here).
 */
function distinctByKey<T extends { sourceKey: string }>(rows: T[]): T[] {
  return [...new Map(rows.map((r) => [r.sourceKey, r])).values()];
}

/** The lines of a blob in arrays of up to `size`. */
async function* inChunks(lines: AsyncIterable<string>, size: number): AsyncIterable<string[]> {
  let chunk: string[] = [];
  for await (const line of lines) {
    chunk.push(line);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}
