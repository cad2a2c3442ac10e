import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaNameOf } from '@idsync/persistence';

/** Outbox, inbox and dead letters in the service's own schema. Every service runs it first. */
export class MessagingTables1763900000000 implements MigrationInterface {
  name = 'MessagingTables1763900000000';

  async up(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`CREATE TABLE ${s}.outbox (
      seq bigserial PRIMARY KEY, id text NOT NULL UNIQUE, subject text NOT NULL, body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(), published_at timestamptz)`);
    await q.query(`CREATE INDEX outbox_unpublished ON ${s}.outbox (seq) WHERE published_at IS NULL`);
    await q.query(`CREATE TABLE ${s}.inbox (
      consumer text NOT NULL, message_id text NOT NULL, handled_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, message_id))`);
    await q.query(`CREATE TABLE ${s}.dead_letters (
      consumer text NOT NULL, message_id text NOT NULL, subject text NOT NULL, body text NOT NULL,
      reason text NOT NULL, deliveries int NOT NULL, dead_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (consumer, message_id))`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = schemaOf(q);
    await q.query(`DROP TABLE ${s}.dead_letters`);
    await q.query(`DROP TABLE ${s}.inbox`);
    await q.query(`DROP TABLE ${s}.outbox`);
  }
}

/** The quoted schema of the data source running the migration. */
export function schemaOf(q: QueryRunner): string {
  return `"${schemaNameOf(q.connection).replace(/"/g, '""')}"`;
}
