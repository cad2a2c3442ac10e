import { schemaOf } from '@idsync/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An incremental run's source deletions (the anchors the source reported deleted, input to
 * preparation) and the source anchors its plan read (stored by synchronization when it applies
 * the plan), so that a later run can tell which source key a deleted anchor was.
 */
export class RunSourceDeletions1763900000250 implements MigrationInterface {
  name = 'RunSourceDeletions1763900000250';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`ALTER TABLE ${s}.runs ADD COLUMN source_deleted_ref jsonb, ADD COLUMN source_anchors_ref jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`ALTER TABLE ${s}.runs DROP COLUMN source_deleted_ref, DROP COLUMN source_anchors_ref`);
  }
}
