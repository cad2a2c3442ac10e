import { JobRow } from './job.entity';
import { RunRow } from './run.entity';
import { JobsAndRuns1763900000200 } from './migrations/1763900000200-jobs-and-runs';
import { RunLog1763900000210 } from './migrations/1763900000210-run-log';
import { RunLinks1763900000220 } from './migrations/1763900000220-run-links';
import { IncrementalRuns1763900000230 } from './migrations/1763900000230-incremental-runs';
import { RunGroups1763900000240 } from './migrations/1763900000240-run-groups';
import { RunSourceDeletions1763900000250 } from './migrations/1763900000250-run-source-deletions';

export const workflowEntities = [JobRow, RunRow];
export const workflowMigrations = [JobsAndRuns1763900000200, RunLog1763900000210, RunLinks1763900000220, IncrementalRuns1763900000230, RunGroups1763900000240, RunSourceDeletions1763900000250];
export { JobRow, RunRow };
export type { BlobRefJson } from './run.entity';
