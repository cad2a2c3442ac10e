import { schemaOf } from '@idsync/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RunLog1763900000210 implements MigrationInterface {
  name = 'RunLog1763900000210';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`CREATE TABLE ${s}.run_log (
      seq bigserial PRIMARY KEY, run_id text NOT NULL, at timestamptz NOT NULL DEFAULT now(), state int NOT NULL, message text NOT NULL)`);
    await q.query(`CREATE INDEX run_log_run ON ${s}.run_log (run_id, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${schemaOf(q)}.run_log`);
  }
}
