import { schemaOf } from '@idsync/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Where a run's snapshot of the destination's groups is, for a job with membership rules. */
export class RunGroups1763900000240 implements MigrationInterface {
  name = 'RunGroups1763900000240';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${schemaOf(q)}.runs ADD COLUMN groups_ref jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${schemaOf(q)}.runs DROP COLUMN groups_ref`);
  }
}
