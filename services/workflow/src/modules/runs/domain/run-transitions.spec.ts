import { decide, initialState, State } from './run-transitions';

describe('run transitions', () => {
  const pending = { id: 'r1', state: State.PendingApproval, requestedBy: 'alice' };

  it('starts a run needing approval in PendingApproval, a preview never', () => {
    expect(initialState(false, true)).toBe(State.PendingApproval);
    expect(initialState(true, true)).toBe(State.Exporting);
    expect(initialState(false, false)).toBe(State.Exporting);
  });

  it('lets another person approve or deny a pending run', () => {
    expect(decide(pending, 'approve', 'bob')).toBe(State.Exporting);
    expect(decide(pending, 'deny', 'bob')).toBe(State.Denied);
  });

  it('refuses self-approval and decisions that do not fit the state', () => {
    expect(() => decide(pending, 'approve', 'alice')).toThrow(expect.objectContaining({ code: 'RUN.SELF_APPROVAL' }));
    expect(() => decide(pending, 'resume', 'bob')).toThrow(expect.objectContaining({ code: 'RUN.INVALID_TRANSITION' }));
    expect(() => decide({ ...pending, state: State.Completed }, 'cancel', 'bob')).toThrow(/is Completed: it cannot be cancelled/);
  });

  it('resumes or cancels a run awaiting review', () => {
    const blocked = { ...pending, state: State.AwaitingReview };
    expect(decide(blocked, 'resume', 'alice')).toBe(State.Synchronizing);
    expect(decide(blocked, 'cancel', 'alice')).toBe(State.Cancelled);
  });
});
