import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { fromJson, JobSpecSchema, RunMode, SnapshotRole, Subjects, type JobSpecJson } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import type { Logger } from '@idsync/observability';
import { LOGGER } from '@idsync/runtime';
import type { EntityManager } from 'typeorm';
import { JobRow, RunRow as RunRowEntity, type RunRow } from '../../../../database';
import { FINAL_STATES, State } from '../../domain/run-transitions';
import { RunFlow } from '../../run-flow.service';
import { RunRepository } from '../../run.repository';

/**
 * The run's saga: reacts to what export, preparation and synchronization report and asks
 * for the next step. An event that no longer fits the run's state (a cancelled run, a
 * redelivery) is ignored, never applied twice.
 */
@Injectable()
export class AdvanceRunHandler implements OnModuleInit {
  constructor(
    @Inject(MessageBus) private readonly bus: MessageBus,
    @Inject(RunFlow) private readonly flow: RunFlow,
    @Inject(RunRepository) private readonly runs: RunRepository,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onModuleInit(): void {
    this.bus.on(Subjects.snapshotExported, (e, { manager }) =>
      this.when(manager, e.runId, [State.Exporting], async (run) => {
        if (e.role === SnapshotRole.SOURCE) run.sourceRef = toRef(e.snapshot);
        else if (e.role === SnapshotRole.GROUPS) run.groupsRef = toRef(e.snapshot);
        else run.destinationRef = toRef(e.snapshot);
        if (e.role === SnapshotRole.DESTINATION) run.baseDn = e.baseDn;
        const incremental = e.role === SnapshotRole.SOURCE && run.mode === RunMode.INCREMENTAL;
        if (incremental) {
          run.watermark = e.watermark;
          run.sourceDeletedRef = toRef(e.deleted);
        }
        const deletions = incremental && e.deletionsReported ? `; ${e.deletionsReported} deletion(s) reported` : '';
        const what = e.role === SnapshotRole.SOURCE ? 'source' : e.role === SnapshotRole.GROUPS ? 'destination groups' : 'destination';
        await this.flow.log(manager, run, `${what} ${incremental ? 'changes' : 'snapshot'} read: ${e.snapshot?.records ?? 0} objects${deletions}`);
        run.counters = { ...run.counters, read: e.role === SnapshotRole.SOURCE ? (e.snapshot?.records ?? 0) : (run.counters.read ?? 0) };
        await this.prepareWhenReady(manager, run);
      }),
    );

    this.bus.on(Subjects.linksExported, (e, { manager }) =>
      this.when(manager, e.runId, [State.Exporting], async (run) => {
        run.linksRef = toRef(e.links);
        await this.prepareWhenReady(manager, run);
      }),
    );

    this.bus.on(Subjects.snapshotFailed, (e, { manager }) =>
      this.when(manager, e.runId, [State.Exporting], (run) =>
        this.flow.moveTo(manager, run, State.Failed, { error: problem(e.error), reason: `export failed: ${e.error?.message ?? 'unknown error'}` }).then(() => undefined),
      ),
    );

    this.bus.on(Subjects.planComputed, (e, { manager }) =>
      this.when(manager, e.runId, [State.Preparing], async (run) => {
        const s = e.summary;
        const groups = s?.groupCreates || s?.memberAdds || s?.memberRemoves ? `; groups: ${s.groupCreates} to create, ${s.memberAdds} members to add, ${s.memberRemoves} to remove` : '';
        const described = `plan: ${s?.creates ?? 0} to create, ${s?.updates ?? 0} to update, ${s?.renames ?? 0} to rename, ${s?.deletes ?? 0} to delete, ${s?.disables ?? 0} to disable`;
        await this.flow.log(manager, run, `${described}, ${s?.unchanged ?? 0} unchanged${groups}`);
        if (run.sourceDeletedRef) {
          const n = run.sourceDeletedRef.records;
          // No anchor kept for them (the job's last complete run came before anchors were kept, or none has
          // run since they were created), or no link, or their object is gone already.
          const rest = e.sourceDeletions < n ? `; ${n - e.sourceDeletions} could not be matched: a complete run finds them by their absence` : '';
          await this.flow.log(manager, run, `${e.sourceDeletions} of ${n} source deletion(s) matched to linked objects, deprovisioned as the job says${rest}`);
        }
        const counters = { ...run.counters, unchanged: s?.unchanged ?? 0 };
        if (run.mode === RunMode.INCREMENTAL && run.watermark && e.problems.length) {
          // Objects left out for a problem (checks on "skip") did not fail, but were not applied either.
          run.watermark = '';
          await this.flow.log(manager, run, `watermark kept at ${run.since || 'the beginning'}: ${e.problems.length} problem(s) left objects out; the next incremental run reads these changes again`);
        }
        const change = { planRef: toRef(e.plan), planLinksRef: toRef(e.links), sourceAnchorsRef: toRef(e.sourceAnchors), counters };
        if (run.preview) {
          await this.flow.moveTo(manager, run, State.Previewed, { ...change, reason: `${described}${groups}` });
        } else if (e.violations.length) {
          await this.flow.moveTo(manager, run, State.AwaitingReview, { ...change, reason: `stopped before writing anything: ${e.violations.map((v) => v.message).join('; ')}` });
        } else {
          await this.flow.moveTo(manager, run, State.Synchronizing, change);
          await this.flow.startSync(manager, run);
        }
      }),
    );

    this.bus.on(Subjects.planFailed, (e, { manager }) =>
      this.when(manager, e.runId, [State.Preparing], async (run) => {
        const first = e.errors[0];
        const more = e.errors.length > 1 ? ` (and ${e.errors.length - 1} more)` : '';
        await this.flow.moveTo(manager, run, State.Failed, { error: problem(first), reason: `preparation failed: ${first?.message ?? 'unknown error'}${more}` });
      }),
    );

    this.bus.on(Subjects.planProgressed, (e, { manager }) =>
      this.when(manager, e.runId, [State.Synchronizing], async (run) => {
        await manager.getRepository(RunRowEntity).save(Object.assign(run, { counters: { ...run.counters, ...counts(e.counters) } }));
      }),
    );

    this.bus.on(Subjects.planApplied, (e, { manager }) =>
      this.when(manager, e.runId, [State.Synchronizing], async (run) => {
        const c = counts(e.counters);
        await this.keepWatermark(manager, run, c.failed);
        await this.flow.moveTo(manager, run, State.Completed, {
          counters: { ...run.counters, ...c },
          reason: c.failed ? `${c.failed} object(s) failed; see the run's results` : '',
        });
      }),
    );

    this.bus.on(Subjects.planApplyFailed, (e, { manager }) =>
      this.when(manager, e.runId, [State.Synchronizing], (run) =>
        this.flow.moveTo(manager, run, State.Failed, { error: problem(e.error), reason: `synchronization failed: ${e.error?.message}` }).then(() => undefined),
      ),
    );
  }

  /** Preparation starts once both snapshots, the groups (for membership rules) and the known links are in. */
  private async prepareWhenReady(manager: EntityManager, run: RunRow): Promise<void> {
    const needsGroups = ((run.job as JobSpecJson).memberships ?? []).length > 0;
    if (!run.sourceRef || !run.destinationRef || !run.linksRef || (needsGroups && !run.groupsRef)) {
      await manager.getRepository(RunRowEntity).save(run);
      return;
    }
    await this.flow.moveTo(manager, run, State.Preparing);
    await this.bus.publish(manager, Subjects.preparePlan, {
      runId: run.id,
      job: fromJson(JobSpecSchema, run.job as never, { ignoreUnknownFields: true }),
      source: run.sourceRef,
      destination: run.destinationRef,
      destinationBaseDn: run.baseDn,
      links: run.linksRef,
      groups: run.groupsRef ?? undefined,
      partial: run.mode === RunMode.INCREMENTAL,
      sourceDeleted: run.mode === RunMode.INCREMENTAL ? (run.sourceDeletedRef ?? undefined) : undefined,
    }, { correlationId: run.id });
  }

  /**
   * An incremental run that completed with no failed object moves the job's watermark on, so the
   * next one reads only what changed since. With a failure it stays: the next run reads the same
   * changes again (applying them is idempotent) rather than losing the failed object's change.
   */
  private async keepWatermark(manager: EntityManager, run: RunRow, failed: number): Promise<void> {
    if (run.mode !== RunMode.INCREMENTAL || !run.watermark) return;
    if (failed) {
      await this.flow.log(manager, run, `watermark kept at ${run.since || 'the beginning'}: the next incremental run reads these changes again`);
      return;
    }
    // Only from where this run started: an incremental run that started later and completed first
    // has moved it further already, and going back would only read changes twice.
    const moved = await manager
      .createQueryBuilder()
      .update(JobRow)
      .set({ sourceWatermark: run.watermark })
      .where('id = :id', { id: run.jobId })
      .andWhere(run.since ? 'source_watermark = :since' : "coalesce(source_watermark, '') = ''", { since: run.since })
      .execute();
    await this.flow.log(manager, run, moved.affected ? `watermark moved to ${run.watermark}` : 'watermark left as it is: a later incremental run has moved it already');
  }

  private async when(manager: EntityManager, runId: string, states: State[], act: (run: RunRow) => Promise<void>): Promise<void> {
    const run = await this.runs.lock(manager, runId);
    if (!states.includes(run.state)) {
      this.log.info({ runId, state: State[run.state] }, FINAL_STATES.has(run.state) ? 'event for a finished run ignored' : 'event out of order ignored');
      return;
    }
    await act(run);
  }
}

function toRef(r: { bucket: string; name: string; records: number; sha256: string } | undefined) {
  return r ? { bucket: r.bucket, name: r.name, records: r.records, sha256: r.sha256 } : null;
}

function problem(p: { code: string; message: string; details: Record<string, string> } | undefined) {
  return p ? { code: p.code, message: p.message, details: p.details } : { code: 'UNKNOWN', message: 'unknown error', details: {} };
}

function counts(c: { created: number; updated: number; deleted: number; disabled: number; renamed: number; failed: number } | undefined) {
  return { created: c?.created ?? 0, updated: c?.updated ?? 0, deleted: c?.deleted ?? 0, disabled: c?.disabled ?? 0, renamed: c?.renamed ?? 0, failed: c?.failed ?? 0 };
}
