/**
 * @idsync/testing — helpers shared by integration and e2e tests: throwaway databases,
 * unique names, real servers (slapd, SMTP) started and stopped by the tests themselves.
 *
 * @example
 *   const db = await createTestDatabase(); afterAll(() => db.drop());
 */
export * from './postgres';
export * from './wait';
export * from './smtp';
export * from './net';
export * from './nats';
export * from './slapd';
export * from './samba';
export * from './files';
export * from './sql';
