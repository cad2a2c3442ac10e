import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export interface BlobRefJson {
  bucket: string;
  name: string;
  records: number;
  sha256: string;
}

/** A run and where it stands. `job` is the job as it was when the run started. */
@Entity({ name: 'runs' })
@Index(['jobId', 'createdAt'])
export class RunRow {
  @PrimaryColumn('text')
  id!: string;

  @Column('text', { name: 'job_id' })
  jobId!: string;

  @Column('int', { name: 'job_version' })
  jobVersion!: number;

  @Column('jsonb')
  job!: Record<string, unknown>;

  @Column('int')
  state!: number;

  @Column('boolean')
  preview!: boolean;

  @Column('text', { name: 'requested_by' })
  requestedBy!: string;

  @Column('jsonb')
  counters!: Record<string, number>;

  @Column('text', { default: '' })
  reason!: string;

  @Column('jsonb', { nullable: true })
  error!: { code: string; message: string; details?: Record<string, string> } | null;

  @Column('jsonb', { name: 'source_ref', nullable: true })
  sourceRef!: BlobRefJson | null;

  @Column('jsonb', { name: 'destination_ref', nullable: true })
  destinationRef!: BlobRefJson | null;

  @Column('text', { name: 'base_dn', default: '' })
  baseDn!: string;

  @Column('jsonb', { name: 'plan_ref', nullable: true })
  planRef!: BlobRefJson | null;

  /** The destination's groups, read for a job with membership rules. */
  @Column('jsonb', { name: 'groups_ref', nullable: true })
  groupsRef!: BlobRefJson | null;

  /** The job's known links, read for preparation. */
  @Column('jsonb', { name: 'links_ref', nullable: true })
  linksRef!: BlobRefJson | null;

  /** The links the plan establishes, stored by synchronization when it applies the plan. */
  @Column('jsonb', { name: 'plan_links_ref', nullable: true })
  planLinksRef!: BlobRefJson | null;

  /** Incremental: the anchors of the source objects the source reported deleted, read for preparation. */
  @Column('jsonb', { name: 'source_deleted_ref', nullable: true })
  sourceDeletedRef!: BlobRefJson | null;

  /** The source anchors the plan read by source key, stored by synchronization when it applies the plan. */
  @Column('jsonb', { name: 'source_anchors_ref', nullable: true })
  sourceAnchorsRef!: BlobRefJson | null;

  /** RunMode: 1 complete, 2 incremental. */
  @Column('int', { default: 1 })
  mode!: number;

  /** Incremental: the source watermark read from ('' = from the beginning). */
  @Column('text', { default: '' })
  since!: string;

  /** Incremental: the watermark the source export gave, kept by the job once the run completes cleanly. */
  @Column('text', { default: '' })
  watermark!: string;

  @Column('text', { name: 'decided_by', default: '' })
  decidedBy!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
