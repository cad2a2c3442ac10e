import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Structured JSON logs, one logger per service. Lines about a run carry `runId`, lines
 * about an object carry `objectKey`: use `logger.child({ runId })`.
 *
 * @example
 *   const log = createLogger('workflow');
 *   log.child({ runId }).info({ state: 'EXPORTING' }, 'run moved');
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info')): Logger {
  return pino({ name: service, level, base: { service } });
}
