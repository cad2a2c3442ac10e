import { schemaOf } from '@idsync/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Incremental runs: a run's mode and the source watermarks it read from and to; a job keeps the
 * watermark of its last incremental run that completed with no failed object.
 */
export class IncrementalRuns1763900000230 implements MigrationInterface {
  name = 'IncrementalRuns1763900000230';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`ALTER TABLE ${s}.runs ADD COLUMN mode int NOT NULL DEFAULT 1, ADD COLUMN since text NOT NULL DEFAULT '', ADD COLUMN watermark text NOT NULL DEFAULT ''`);
    await q.query(`ALTER TABLE ${s}.jobs ADD COLUMN source_watermark text`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`ALTER TABLE ${s}.jobs DROP COLUMN source_watermark`);
    await q.query(`ALTER TABLE ${s}.runs DROP COLUMN mode, DROP COLUMN since, DROP COLUMN watermark`);
  }
}
