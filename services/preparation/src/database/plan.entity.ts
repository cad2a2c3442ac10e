import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A computed plan: where its operations are, what it adds up to, and which guards it trips. */
@Entity({ name: 'plans' })
export class PlanRow {
  @PrimaryColumn('text', { name: 'run_id' })
  runId!: string;

  @Column('jsonb', { name: 'plan_ref' })
  planRef!: { bucket: string; name: string; records: number; sha256: string };

  @Column('jsonb')
  summary!: Record<string, number>;

  @Column('jsonb')
  violations!: { guard: string; limit: number; actual: number; message: string }[];

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
