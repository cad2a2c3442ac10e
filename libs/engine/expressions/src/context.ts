/**
 * What an evaluation may ask of its caller. Everything is optional: by default time is the
 * system clock and randomness is cryptographic.
 */
export interface EvaluationContext {
  /**
   * For SelectUniqueValue: true when `value` is not yet taken in the destination. The caller
   * answers from the destination's current values plus the values it has already handed out
   * in this run, and should compare the way the destination does (usually case-insensitively).
   * Without it, SelectUniqueValue fails with EXPRESSION.NOT_SUPPORTED.
   */
  isUnique?: (value: string) => boolean;
  /** The current time for Now(); give a fixed clock for repeatable results. */
  now?: () => Date;
  /** A uniform random integer in [0, maxExclusive), for RandomString. */
  randomInt?: (maxExclusive: number) => number;
  /** A new GUID for Guid(). */
  newGuid?: () => string;
}
