import { Applications1763900000500 } from './migrations/1763900000500-applications';

/** Synchronization works with plain SQL on its tables (bulk inserts, counters by GROUP BY). */
export const synchronizationEntities: Function[] = [];
export const synchronizationMigrations = [Applications1763900000500];
