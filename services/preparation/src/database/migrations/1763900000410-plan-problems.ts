import { schemaOf } from '@idsync/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Problems found while planning are kept with the run, also when they stopped it (no plan then). */
export class PlanProblems1763900000410 implements MigrationInterface {
  name = 'PlanProblems1763900000410';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`ALTER TABLE ${s}.plans ALTER COLUMN plan_ref DROP NOT NULL`);
    await q.query(`ALTER TABLE ${s}.plans ADD COLUMN problems jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`ALTER TABLE ${s}.plans DROP COLUMN problems`);
  }
}
