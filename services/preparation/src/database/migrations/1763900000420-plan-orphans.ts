import { schemaOf } from '@idsync/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Orphans (destination objects no source object claims) are kept per run, as a blob: there may be many. */
export class PlanOrphans1763900000420 implements MigrationInterface {
  name = 'PlanOrphans1763900000420';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${schemaOf(q)}.plans ADD COLUMN orphans_ref jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${schemaOf(q)}.plans DROP COLUMN orphans_ref`);
  }
}
