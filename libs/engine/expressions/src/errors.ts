/**
 * Errors carry a stable code because they travel (in a saved job's validation, in a plan's
 * problems) to places where `instanceof` no longer works. The name is 'IdsyncError', as for
 * every coded error in the project.
 */
export class ExpressionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** 0-based offset in the expression text of the place to fix. */
    readonly position: number,
  ) {
    super(message);
    this.name = 'IdsyncError';
  }
}

/**
 * The text is not a valid expression. The message reads `at 14: expected ')' or ','`,
 * optionally followed by what was found there.
 *
 * Codes: EXPRESSION.SYNTAX, EXPRESSION.UNKNOWN_FUNCTION, EXPRESSION.ARGUMENT_COUNT,
 * EXPRESSION.NOT_SUPPORTED (an Entra function that only makes sense inside Entra).
 */
export class ExpressionSyntaxError extends ExpressionError {
  constructor(
    position: number,
    /** What would have been valid at `position`, e.g. `')' or ','`. */
    readonly expected: string,
    found?: string,
    code = 'EXPRESSION.SYNTAX',
    message?: string,
  ) {
    super(code, message ?? `at ${position}: expected ${expected}${found ? `, found ${found}` : ''}`, position);
  }
}

/**
 * A valid expression could not be evaluated for one object, e.g. `CDate("tomorrow")`.
 * The message names the function and its position: `at 5: CDate: cannot read "tomorrow" as a date`.
 *
 * Codes: EXPRESSION.EVALUATION, EXPRESSION.NO_UNIQUE_VALUE (SelectUniqueValue found every
 * candidate taken), EXPRESSION.NOT_SUPPORTED (a context callback the caller did not give).
 */
export class ExpressionEvaluationError extends ExpressionError {
  constructor(
    message: string,
    position: number,
    readonly functionName: string,
    code = 'EXPRESSION.EVALUATION',
  ) {
    super(code, message, position);
  }
}

/**
 * Thrown by function bodies, which do not know where they were called from; the compiler
 * turns it into an ExpressionEvaluationError with the call's name and position.
 */
export class FunctionFailure extends Error {
  constructor(
    message: string,
    readonly code = 'EXPRESSION.EVALUATION',
  ) {
    super(message);
  }
}

export function fail(message: string, code?: string): never {
  throw new FunctionFailure(message, code);
}
