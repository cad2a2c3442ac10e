import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The job catalogue. The spec is the protobuf JSON of JobSpec, versioned on every save. */
@Entity({ name: 'jobs' })
export class JobRow {
  @PrimaryColumn('text')
  id!: string;

  @Column('text')
  name!: string;

  @Column('jsonb')
  spec!: Record<string, unknown>;

  @Column('int')
  version!: number;

  /**
   * Where the next incremental run reads the source from: the watermark of the last incremental
   * run that completed with no failed object. null: an incremental run reads from the beginning.
   */
  @Column('text', { name: 'source_watermark', nullable: true })
  sourceWatermark!: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
