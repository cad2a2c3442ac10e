import { schemaOf } from '@idsync/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Phases: a plan's operations are applied phase by phase (renames, creates, group creates,
 * updates, disables, deletes), each once every operation before it has its result. An
 * application keeps each phase's size and batches, the phase under way and how much of it is done.
 */
export class Phases1763900000530 implements MigrationInterface {
  name = 'Phases1763900000530';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`ALTER TABLE ${s}.operations ADD COLUMN phase int NOT NULL DEFAULT 0`);
    await q.query(`CREATE INDEX operations_batch ON ${s}.operations (run_id, batch_no)`);
    await q.query(`ALTER TABLE ${s}.applications ADD COLUMN phases jsonb NOT NULL DEFAULT '[]', ADD COLUMN phase int NOT NULL DEFAULT 0, ADD COLUMN phase_done int NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`ALTER TABLE ${s}.applications DROP COLUMN phases, DROP COLUMN phase, DROP COLUMN phase_done`);
    await q.query(`DROP INDEX ${s}.operations_batch`);
    await q.query(`ALTER TABLE ${s}.operations DROP COLUMN phase`);
  }
}
