import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** One applied change, never updated or deleted (the table refuses it, see the migration). */
@Entity({ name: 'change_records' })
@Index(['runId'])
@Index(['dn'])
@Index(['sourceKey'])
export class ChangeRecordRow {
  /** The id of the event that reported the change: recording it twice is impossible. */
  @PrimaryColumn('text')
  id!: string;

  @Column('text', { name: 'run_id' })
  runId!: string;

  @Column('text', { name: 'job_id' })
  jobId!: string;

  @Column('int')
  kind!: number;

  @Column('text')
  dn!: string;

  /** For a rename or move: the DN the object got ('' otherwise). */
  @Column('text', { name: 'new_dn', default: '' })
  newDn!: string;

  @Column('text', { name: 'source_key' })
  sourceKey!: string;

  /** [{ attribute, before: string[], after: string[] }] */
  @Column('jsonb')
  changes!: { attribute: string; before: string[]; after: string[] }[];

  @Column('text', { name: 'requested_by' })
  requestedBy!: string;

  @Column('timestamptz', { name: 'applied_at' })
  appliedAt!: Date;

  @CreateDateColumn({ type: 'timestamptz', name: 'recorded_at' })
  recordedAt!: Date;
}
