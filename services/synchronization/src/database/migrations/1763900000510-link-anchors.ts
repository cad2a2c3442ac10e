import { schemaOf } from '@idsync/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A link names the destination object by its immutable anchor, so a rename stays the same object. */
export class LinkAnchors1763900000510 implements MigrationInterface {
  name = 'LinkAnchors1763900000510';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${schemaOf(q)}.links ADD COLUMN anchor text NOT NULL DEFAULT ''`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${schemaOf(q)}.links DROP COLUMN anchor`);
  }
}
