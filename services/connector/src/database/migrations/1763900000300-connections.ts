import { schemaOf } from '@idsync/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Connections1763900000300 implements MigrationInterface {
  name = 'Connections1763900000300';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`CREATE TABLE ${s}.connections (
      id text PRIMARY KEY, name text NOT NULL, kind text NOT NULL, settings jsonb NOT NULL,
      secrets_sealed text NOT NULL DEFAULT '', secret_names text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${schemaOf(q)}.connections`);
  }
}
