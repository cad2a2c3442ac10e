/**
 * @idsync/observability — structured logging and validated configuration.
 *
 * @example
 *   const log = createLogger('connector');
 *   const env = loadEnv('CONNECTOR', { NATS_URL: str({ default: 'nats://127.0.0.1:4222' }) });
 */
export * from './logger';
export * from './env';
export * from './tracing';
