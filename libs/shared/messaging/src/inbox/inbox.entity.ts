import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The ids of messages a consumer has handled: a redelivery of one of them is skipped. */
@Entity({ name: 'inbox' })
export class InboxRecord {
  @PrimaryColumn('text')
  consumer!: string;

  @PrimaryColumn('text', { name: 'message_id' })
  messageId!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'handled_at' })
  handledAt!: Date;
}

/** A message given up on, with the reason a person can read. */
@Entity({ name: 'dead_letters' })
export class DeadLetterRecord {
  @PrimaryColumn('text')
  consumer!: string;

  @PrimaryColumn('text', { name: 'message_id' })
  messageId!: string;

  @Column('text')
  subject!: string;

  @Column('text')
  body!: string;

  @Column('text')
  reason!: string;

  @Column('int')
  deliveries!: number;

  @CreateDateColumn({ type: 'timestamptz', name: 'dead_at' })
  deadAt!: Date;
}
