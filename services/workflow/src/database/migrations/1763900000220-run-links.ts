import { schemaOf } from '@idsync/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Where a run's known links (input to preparation) and new links (output of its plan) are. */
export class RunLinks1763900000220 implements MigrationInterface {
  name = 'RunLinks1763900000220';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`ALTER TABLE ${s}.runs ADD COLUMN links_ref jsonb, ADD COLUMN plan_links_ref jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`ALTER TABLE ${s}.runs DROP COLUMN links_ref, DROP COLUMN plan_links_ref`);
  }
}
