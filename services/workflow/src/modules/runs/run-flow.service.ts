import { Inject, Injectable } from '@nestjs/common';
import { RunMode, Subjects, SnapshotRole, type JobSpecJson } from '@idsync/contracts';
import { MessageBus } from '@idsync/messaging';
import { qualifiedTable } from '@idsync/persistence';
import type { EntityManager } from 'typeorm';
import { RunRow } from '../../database';
import { State } from './domain/run-transitions';
import { RunRepository } from './run.repository';

const announce: Partial<Record<State, (typeof Subjects)[keyof typeof Subjects]>> = {
  [State.PendingApproval]: Subjects.runApprovalRequested,
  [State.Denied]: Subjects.runDenied,
  [State.AwaitingReview]: Subjects.runBlocked,
  [State.Cancelled]: Subjects.runCancelled,
  [State.Previewed]: Subjects.runPreviewed,
  [State.Completed]: Subjects.runCompleted,
  [State.Failed]: Subjects.runFailed,
};

/** Moves runs between states and sends what each state asks of the other services. */
@Injectable()
export class RunFlow {
  constructor(@Inject(MessageBus) private readonly bus: MessageBus) {}

  /** Saves the run in its new state and announces it (with `event`, or the state's own event). */
  async moveTo(
    manager: EntityManager,
    run: RunRow,
    state: State,
    change: Partial<RunRow> = {},
    event?: (typeof Subjects)['runApproved'],
  ): Promise<RunRow> {
    const previous = run.state;
    Object.assign(run, change, { state, updatedAt: new Date() });
    await manager.getRepository(RunRow).save(run);
    await this.log(manager, run, describeMove(state, run));
    const def = event ?? announce[state];
    if (def) await this.bus.publish(manager, def as typeof Subjects.runCompleted, { run: RunRepository.toContract(run), previousState: previous }, { correlationId: run.id });
    return run;
  }

  /** Adds a line to the run's log (in the same transaction as the change it describes). */
  async log(manager: EntityManager, run: RunRow, message: string): Promise<void> {
    await manager.query(`INSERT INTO ${qualifiedTable(manager, 'run_log')} (run_id, state, message) VALUES ($1, $2, $3)`, [run.id, run.state, message]);
  }

  /** Asks the connector service for the source and destination snapshots (and the groups, for membership rules), and synchronization for the links. */
  async startExport(manager: EntityManager, run: RunRow): Promise<void> {
    const job = run.job as JobSpecJson;
    const attributes = [...new Set([...(job.matching ?? []).map((m) => m.destinationAttribute ?? ''), ...(job.mappings ?? []).map((m) => m.target ?? '')])].filter(Boolean);
    if (job.disable?.attribute) attributes.push(job.disable.attribute);
    const meta = { correlationId: run.id };
    await this.bus.publish(manager, Subjects.exportSnapshot, {
      runId: run.id, connectionId: job.sourceConnectionId, role: SnapshotRole.SOURCE, objectType: job.objectType, keyAttribute: job.sourceKey,
      changesOnly: run.mode === RunMode.INCREMENTAL, since: run.since,
    }, meta);
    await this.bus.publish(manager, Subjects.exportSnapshot, {
      runId: run.id, connectionId: job.destinationConnectionId, role: SnapshotRole.DESTINATION, objectType: job.objectType, attributes,
    }, meta);
    const memberAttributes = [...new Set((job.memberships ?? []).map((r) => r.memberAttribute || 'member'))];
    if (memberAttributes.length) {
      await this.bus.publish(manager, Subjects.exportSnapshot, {
        runId: run.id, connectionId: job.destinationConnectionId, role: SnapshotRole.GROUPS, objectType: 'group', attributes: [...memberAttributes, 'objectClass'],
      }, meta);
    }
    await this.bus.publish(manager, Subjects.exportLinks, { runId: run.id, jobId: run.jobId }, meta);
  }

  /** Asks synchronization to apply the run's plan — the very plan that was computed and, if blocked, reviewed. */
  async startSync(manager: EntityManager, run: RunRow): Promise<void> {
    const job = run.job as JobSpecJson;
    await this.bus.publish(manager, Subjects.applyPlan, {
      runId: run.id, jobId: run.jobId, destinationConnectionId: job.destinationConnectionId, plan: run.planRef ?? undefined, requestedBy: run.requestedBy,
      links: run.planLinksRef ?? undefined,
      sourceAnchors: run.sourceAnchorsRef ?? undefined,
    }, { correlationId: run.id });
  }
}

function describeMove(state: State, run: RunRow): string {
  const why = run.reason ? `: ${run.reason}` : '';
  switch (state) {
    case State.PendingApproval: return `waiting for an approver (requested by ${run.requestedBy})`;
    case State.Exporting: return `export started${why}`;
    case State.Preparing: return 'both snapshots read; preparing the plan';
    case State.AwaitingReview: return `awaiting review${why}`;
    case State.Synchronizing: return `applying the plan${why}`;
    case State.Completed: return `completed${why}`;
    case State.Failed: return `failed${why}`;
    default: return `${State[state]}${why}`;
  }
}
