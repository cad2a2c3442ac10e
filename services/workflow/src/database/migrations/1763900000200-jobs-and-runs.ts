import { schemaOf } from '@idsync/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JobsAndRuns1763900000200 implements MigrationInterface {
  name = 'JobsAndRuns1763900000200';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`CREATE TABLE ${s}.jobs (
      id text PRIMARY KEY, name text NOT NULL, spec jsonb NOT NULL, version int NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE ${s}.runs (
      id text PRIMARY KEY, job_id text NOT NULL, job_version int NOT NULL, job jsonb NOT NULL, state int NOT NULL,
      preview boolean NOT NULL, requested_by text NOT NULL, counters jsonb NOT NULL, reason text NOT NULL DEFAULT '',
      error jsonb, source_ref jsonb, destination_ref jsonb, base_dn text NOT NULL DEFAULT '', plan_ref jsonb,
      decided_by text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE INDEX runs_job ON ${s}.runs (job_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`DROP TABLE ${s}.runs`);
    await q.query(`DROP TABLE ${s}.jobs`);
  }
}
