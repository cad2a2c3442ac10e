/**
 * @idsync/runtime — what every service process stands on: platform (bus, blobs, database),
 * the Nest module that wires them, and the process bootstrap for distributed mode.
 *
 * @example
 *   await bootstrapService('history', (platform) => HistoryModule.register(platform));
 */
export * from './platform';
export * from './service-runtime.module';
export * from './bootstrap';
