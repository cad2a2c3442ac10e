import { Applications1763900000500 } from './migrations/1763900000500-applications';
import { LinkAnchors1763900000510 } from './migrations/1763900000510-link-anchors';
import { ApplicationCounters1763900000520 } from './migrations/1763900000520-application-counters';
import { Phases1763900000530 } from './migrations/1763900000530-phases';
import { SourceAnchors1763900000540 } from './migrations/1763900000540-source-anchors';

/** Synchronization works with plain SQL on its tables (bulk inserts, counters by GROUP BY). */
export const synchronizationEntities: Function[] = [];
export const synchronizationMigrations = [Applications1763900000500, LinkAnchors1763900000510, ApplicationCounters1763900000520, Phases1763900000530, SourceAnchors1763900000540];
