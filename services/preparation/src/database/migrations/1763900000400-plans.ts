import { schemaOf } from '@idsync/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Plans1763900000400 implements MigrationInterface {
  name = 'Plans1763900000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ${schemaOf(q)}.plans (
      run_id text PRIMARY KEY, plan_ref jsonb NOT NULL, summary jsonb NOT NULL, violations jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${schemaOf(q)}.plans`);
  }
}
