/**
 * A job the planner cannot work with (a bad expression, a DN template naming an attribute no
 * mapping sets). Thrown by the Planner constructor, before any object is read. Coded, as every
 * error that crosses a process boundary.
 *
 * Codes: PLAN.INVALID_JOB, MAPPING.INVALID_EXPRESSION; misuse of a Planner: PLAN.FINISHED,
 * PLAN.INPUT_CLOSED, PLAN.NO_SECOND_PASS, PLAN.SECOND_PASS_INCOMPLETE, PLAN.INVALID_INPUT.
 */
export class PlanningError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'IdsyncError';
  }
}
