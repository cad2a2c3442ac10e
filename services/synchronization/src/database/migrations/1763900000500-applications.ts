import { schemaOf } from '@idsync/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * applications: one per run being applied; operations: the plan as received (what is
 * applied is exactly this); results: one final result per operation; links: which source
 * key became which destination object.
 */
export class Applications1763900000500 implements MigrationInterface {
  name = 'Applications1763900000500';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`CREATE TABLE ${s}.applications (
      run_id text PRIMARY KEY, job_id text NOT NULL, connection_id text NOT NULL, requested_by text NOT NULL,
      total int NOT NULL, state text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), finished_at timestamptz)`);
    await q.query(`CREATE TABLE ${s}.operations (
      run_id text NOT NULL, index int NOT NULL, batch_no int NOT NULL, kind int NOT NULL, dn text NOT NULL,
      source_key text NOT NULL, body text NOT NULL, PRIMARY KEY (run_id, index))`);
    await q.query(`CREATE TABLE ${s}.results (
      run_id text NOT NULL, index int NOT NULL, status int NOT NULL, message text NOT NULL DEFAULT '',
      recorded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (run_id, index))`);
    await q.query(`CREATE TABLE ${s}.links (
      job_id text NOT NULL, source_key text NOT NULL, dn text NOT NULL, run_id text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (job_id, source_key))`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    for (const t of ['links', 'results', 'operations', 'applications']) await q.query(`DROP TABLE ${s}.${t}`);
  }
}
