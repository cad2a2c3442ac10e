/**
 * Errors that cross a process boundary carry a stable code: `instanceof` does not survive
 * serialization. `details` say where (file, row, field, object) so the user can act.
 *
 * @example
 *   throw new IdsyncError('JOB.NOT_FOUND', `job ${id} does not exist`, { jobId: id });
 */
export class IdsyncError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Record<string, string> = {},
    /** True when trying again later may succeed (network, lock, unavailable). */
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'IdsyncError';
  }

  toJSON(): { code: string; message: string; details: Record<string, string> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isIdsyncError(e: unknown): e is IdsyncError {
  return e instanceof Error && typeof (e as IdsyncError).code === 'string' && (e as IdsyncError).name === 'IdsyncError';
}
