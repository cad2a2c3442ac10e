/**
 * A phase of a plan under way: how many operations, in which batches. A plan is applied phase by
 * phase (0 renames, 1 creates, 2 group creates, 3 updates and memberships, 4 disables, 5
 * deletes); a phase's batches are sent once every operation of the phase before has its result.
 */
export interface PhaseRange {
  phase: number;
  total: number;
  firstBatch: number;
  lastBatch: number;
}
