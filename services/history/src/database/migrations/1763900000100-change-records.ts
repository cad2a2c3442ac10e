import { schemaOf } from '@idsync/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ChangeRecords1763900000100 implements MigrationInterface {
  name = 'ChangeRecords1763900000100';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`CREATE TABLE ${s}.change_records (
      id text PRIMARY KEY, run_id text NOT NULL, job_id text NOT NULL, kind int NOT NULL, dn text NOT NULL,
      source_key text NOT NULL, changes jsonb NOT NULL, requested_by text NOT NULL,
      applied_at timestamptz NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX change_records_run ON ${s}.change_records (run_id)`);
    await q.query(`CREATE INDEX change_records_dn ON ${s}.change_records (lower(dn))`);
    await q.query(`CREATE INDEX change_records_key ON ${s}.change_records (source_key)`);
    // History is immutable: refuse UPDATE and DELETE at the database itself.
    await q.query(`CREATE FUNCTION ${s}.change_records_immutable() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN RAISE EXCEPTION 'history is immutable: % refused', TG_OP; END $$`);
    await q.query(`CREATE TRIGGER change_records_immutable BEFORE UPDATE OR DELETE ON ${s}.change_records
      FOR EACH ROW EXECUTE FUNCTION ${s}.change_records_immutable()`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`DROP TABLE ${s}.change_records`);
    await q.query(`DROP FUNCTION ${s}.change_records_immutable()`);
  }
}
