import { schemaOf } from '@idsync/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Running counters per application, added to as results arrive (recounting every batch would grow with the run). */
export class ApplicationCounters1763900000520 implements MigrationInterface {
  name = 'ApplicationCounters1763900000520';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${schemaOf(q)}.applications ADD COLUMN counters jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${schemaOf(q)}.applications DROP COLUMN counters`);
  }
}
