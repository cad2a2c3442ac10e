import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { fromJsonString, OperationKind, OperationSchema, OperationStatus, Subjects, toJsonString } from '@idsync/contracts';
import { MessageBus, type BusContext } from '@idsync/messaging';
import type { EntityManager } from 'typeorm';
import { addResults, emptyCounters } from '../../counters';
import { returnedRows } from '@idsync/persistence';
import { tables } from '../../tables';
import { NAMING_PHASES, withoutUnsettled, type PhaseRange } from '../../phases';

/**
 * Records the result of every operation of a batch once (a redelivered batch result adds
 * nothing), reports each applied change to history, keeps the source↔destination links,
 * and closes the application when every operation has its result.
 */
@Injectable()
export class RecordBatchHandler implements OnModuleInit {
  constructor(@Inject(MessageBus) private readonly bus: MessageBus) {}

  onModuleInit(): void {
    this.bus.on(Subjects.batchApplied, async (e, { manager, publish }) => {
      const t = tables(manager);
      const [app] = await manager.query(
        `SELECT job_id, connection_id, requested_by, state, total, counters, phases, phase, phase_done FROM ${t.applications} WHERE run_id = $1 FOR UPDATE`,
        [e.runId],
      );
      if (!app) return;
      const fresh = returnedRows<{ index: number }>(
        await manager.query(
          `INSERT INTO ${t.results} (run_id, index, status, message)
           SELECT $1, unnest($2::int[]), unnest($3::int[]), unnest($4::text[]) ON CONFLICT DO NOTHING RETURNING index`,
          [e.runId, e.results.map((r) => r.index), e.results.map((r) => r.status), e.results.map((r) => r.message)],
        ),
      );
      const succeeded = new Set(e.results.filter((r) => r.status === OperationStatus.SUCCEEDED).map((r) => r.index));
      const createdAnchor = new Map(e.results.filter((r) => r.anchor).map((r) => [r.index, r.anchor]));
      const newIndexes = fresh.map((f) => f.index).filter((i) => succeeded.has(i));
      if (newIndexes.length) {
        const ops: { body: string }[] = await manager.query(`SELECT body FROM ${t.operations} WHERE run_id = $1 AND index = ANY($2::int[]) ORDER BY index`, [e.runId, newIndexes]);
        const appliedAt = new Date().toISOString();
        const gone: string[] = [];
        /** Source key → where its link now points; a create (a new object) also sets the link's anchor. */
        const linked = new Map<string, { dn: string; create: boolean; anchor: string }>();
        for (const { body } of ops) {
          const op = fromJsonString(OperationSchema, body);
          await publish(Subjects.objectChanged, {
            runId: e.runId, jobId: app.job_id, kind: op.kind, dn: op.dn, newDn: op.newDn, sourceKey: op.sourceKey, changes: op.changes, requestedBy: app.requested_by, appliedAt,
          });
          if (op.kind === OperationKind.DELETE) {
            if (op.sourceKey) gone.push(op.sourceKey);
          } else if (op.sourceKey) {
            const create = op.kind === OperationKind.CREATE;
            const earlier = linked.get(op.sourceKey);
            linked.set(op.sourceKey, {
              dn: op.kind === OperationKind.RENAME ? op.newDn : op.dn,
              create: create || !!earlier?.create,
              anchor: create ? (createdAnchor.get(op.index) ?? '') : (earlier?.anchor ?? ''),
            });
          }
        }
        if (gone.length) await manager.query(`DELETE FROM ${t.links} WHERE job_id = $1 AND source_key = ANY($2::text[])`, [app.job_id, gone]);
        if (linked.size) {
          const rows = [...linked];
          await manager.query(
            // A create is a new object: its anchor, read back by the connector service where it can, replaces one
            // kept from an earlier object under the same key (deleted since); '' until a run reads it otherwise.
            `INSERT INTO ${t.links} AS l (job_id, source_key, dn, run_id, anchor)
             SELECT $1, unnest($2::text[]), unnest($3::text[]), $4, unnest($5::text[])
             ON CONFLICT (job_id, source_key) DO UPDATE SET dn = EXCLUDED.dn, run_id = EXCLUDED.run_id, updated_at = now(),
             anchor = CASE WHEN EXCLUDED.source_key = ANY($6::text[]) THEN EXCLUDED.anchor ELSE l.anchor END`,
            [app.job_id, rows.map(([k]) => k), rows.map(([, r]) => r.dn), e.runId, rows.map(([, r]) => r.anchor), rows.filter(([, r]) => r.create).map(([k]) => k)],
          );
        }
      }
      // Only the results recorded now are added: a redelivered batch adds nothing.
      const c = { ...emptyCounters(app.total), ...app.counters, total: app.total };
      if (fresh.length) {
        const statusOf = new Map(e.results.map((r) => [r.index, r.status]));
        const kinds: { index: number; kind: number }[] = await manager.query(
          `SELECT index, kind FROM ${t.operations} WHERE run_id = $1 AND index = ANY($2::int[])`,
          [e.runId, fresh.map((f) => f.index)],
        );
        for (const k of kinds) addResults(c, k.kind, statusOf.get(k.index) ?? 0);
        await manager.query(`UPDATE ${t.applications} SET counters = $2 WHERE run_id = $1`, [e.runId, c]);
        await this.advancePhase(manager, publish, e.runId, e.batchNo, fresh.length, app);
      }
      const { done, ...counters } = c;
      if (done >= c.total && app.state === 'applying') {
        await manager.query(`UPDATE ${t.applications} SET state = 'applied', finished_at = now() WHERE run_id = $1`, [e.runId]);
        await publish(Subjects.planApplied, { runId: e.runId, counters });
      } else if (fresh.length) {
        await publish(Subjects.planProgressed, { runId: e.runId, counters });
      }
    });
  }

  /**
   * Counts the results recorded now toward the phase under way; once every operation of the phase
   * has its result, sends the batches of the next phase (renames before creates, object creates
   * before the groups they join, deletes last). A later phase never names an object whose rename or
   * create did not succeed: those values are taken out of its operations (and out of what is
   * recorded), so a group neither gains a member that does not exist nor loses one a failed rename
   * left in place.
   */
  private async advancePhase(manager: EntityManager, publish: BusContext['publish'], runId: string, batchNo: number, recorded: number, app: { connection_id: string; phases: PhaseRange[]; phase: number; phase_done: number }): Promise<void> {
    const t = tables(manager);
    const [batch] = await manager.query(`SELECT phase FROM ${t.operations} WHERE run_id = $1 AND batch_no = $2 LIMIT 1`, [runId, batchNo]);
    if (!batch || batch.phase !== app.phase) return;
    const at = app.phases.findIndex((p) => p.phase === app.phase);
    const done = app.phase_done + recorded;
    const next = at >= 0 && done >= app.phases[at].total ? app.phases[at + 1] : undefined;
    if (!next) {
      await manager.query(`UPDATE ${t.applications} SET phase_done = $2 WHERE run_id = $1`, [runId, done]);
      return;
    }
    await manager.query(`UPDATE ${t.applications} SET phase = $2, phase_done = 0 WHERE run_id = $1`, [runId, next.phase]);
    const unsettled = next.phase >= NAMING_PHASES ? await this.unsettledDns(manager, runId) : new Set<string>();
    for (let b = next.firstBatch; b <= next.lastBatch; b++) {
      const rows: { body: string }[] = await manager.query(`SELECT body FROM ${t.operations} WHERE run_id = $1 AND batch_no = $2 ORDER BY index`, [runId, b]);
      const operations = [];
      for (const r of rows) {
        const op = fromJsonString(OperationSchema, r.body);
        const kept = withoutUnsettled(op, unsettled);
        if (kept !== op) await manager.query(`UPDATE ${t.operations} SET body = $3 WHERE run_id = $1 AND index = $2`, [runId, op.index, toJsonString(OperationSchema, kept)]);
        operations.push(kept);
      }
      await publish(Subjects.applyBatch, { runId, connectionId: app.connection_id, batchNo: b, operations });
    }
  }

  /** The DNs (old and new, lower-cased) of the renames and creates of this run that did not succeed. */
  private async unsettledDns(manager: EntityManager, runId: string): Promise<Set<string>> {
    const t = tables(manager);
    const rows: { body: string }[] = await manager.query(
      `SELECT o.body FROM ${t.operations} o JOIN ${t.results} r USING (run_id, index) WHERE o.run_id = $1 AND o.phase < $2 AND r.status <> $3`,
      [runId, NAMING_PHASES, OperationStatus.SUCCEEDED],
    );
    const dns = new Set<string>();
    for (const { body } of rows) {
      const op = fromJsonString(OperationSchema, body);
      dns.add(op.dn.toLowerCase());
      if (op.newDn) dns.add(op.newDn.toLowerCase());
    }
    return dns;
  }
}
