/** The embedded launcher: the seven services in one process on embedded Postgres and the embedded bus. */
export * from './embedded-platform';
export * from './all-services';
