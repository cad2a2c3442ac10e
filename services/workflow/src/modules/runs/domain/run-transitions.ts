import { IdsyncError } from '@idsync/contracts';

/** Run states, mirrored from the contract enum so the domain stays free of wire types. */
export enum State {
  PendingApproval = 1,
  Denied = 2,
  Exporting = 3,
  Preparing = 4,
  AwaitingReview = 5,
  Synchronizing = 6,
  Completed = 7,
  Failed = 8,
  Cancelled = 9,
  Previewed = 10,
}

export type Decision = 'approve' | 'deny' | 'resume' | 'cancel';

export const FINAL_STATES = new Set([State.Denied, State.Completed, State.Failed, State.Cancelled, State.Previewed]);

const allowed: Record<Decision, { from: State[]; to: State }> = {
  approve: { from: [State.PendingApproval], to: State.Exporting },
  deny: { from: [State.PendingApproval], to: State.Denied },
  resume: { from: [State.AwaitingReview], to: State.Synchronizing },
  cancel: { from: [State.PendingApproval, State.AwaitingReview], to: State.Cancelled },
};

const done: Record<Decision, string> = { approve: 'approved', deny: 'denied', resume: 'resumed', cancel: 'cancelled' };

/**
 * What a person's decision does to a run. Approving is four-eyes: the one who asked for a
 * run may not approve it (Entra and midPoint both separate requester and approver).
 */
export function decide(run: { id: string; state: State; requestedBy: string }, decision: Decision, actor: string): State {
  const rule = allowed[decision];
  if (!rule.from.includes(run.state)) {
    throw new IdsyncError('RUN.INVALID_TRANSITION', `run ${run.id} is ${State[run.state]}: it cannot be ${done[decision]}`, {
      runId: run.id,
      state: State[run.state],
      decision,
    });
  }
  if (decision === 'approve' && actor === run.requestedBy) {
    throw new IdsyncError('RUN.SELF_APPROVAL', `${actor} asked for run ${run.id} and cannot also approve it`, { runId: run.id, actor });
  }
  if (!actor) throw new IdsyncError('RUN.ACTOR_REQUIRED', 'a decision needs the name of who takes it', { runId: run.id });
  return rule.to;
}

/** The state a new run starts in. */
export function initialState(preview: boolean, requiresApproval: boolean): State {
  return !preview && requiresApproval ? State.PendingApproval : State.Exporting;
}
