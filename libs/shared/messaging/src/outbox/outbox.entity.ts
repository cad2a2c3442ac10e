import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A message written in the same transaction as the state change it announces. */
@Entity({ name: 'outbox' })
export class OutboxRecord {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  seq!: string;

  @Index({ unique: true })
  @Column('text')
  id!: string;

  @Column('text')
  subject!: string;

  @Column('text')
  body!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'published_at', nullable: true })
  publishedAt!: Date | null;
}
