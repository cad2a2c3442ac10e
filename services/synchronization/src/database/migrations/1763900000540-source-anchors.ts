import { schemaOf } from '@idsync/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per job, each source key's own anchor in the source (an LDAP source's entryUUID): an
 * incremental read reports deletions by anchor, and this tells which source key, and so which
 * link, a deleted anchor was.
 */
export class SourceAnchors1763900000540 implements MigrationInterface {
  name = 'SourceAnchors1763900000540';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ${schemaOf(q)}.source_anchors (
      job_id text NOT NULL, source_key text NOT NULL, source_anchor text NOT NULL, run_id text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (job_id, source_key))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${schemaOf(q)}.source_anchors`);
  }
}
