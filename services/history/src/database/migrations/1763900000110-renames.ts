import { schemaOf } from '@idsync/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Renames and moves: the DN an object got, findable like its old one. */
export class Renames1763900000110 implements MigrationInterface {
  name = 'Renames1763900000110';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`ALTER TABLE ${s}.change_records ADD COLUMN new_dn text NOT NULL DEFAULT ''`);
    await q.query(`CREATE INDEX change_records_new_dn ON ${s}.change_records (lower(new_dn)) WHERE new_dn <> ''`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`DROP INDEX ${s}.change_records_new_dn`);
    await q.query(`ALTER TABLE ${s}.change_records DROP COLUMN new_dn`);
  }
}
