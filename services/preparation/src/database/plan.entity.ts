import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A computed plan: where its operations are, what it adds up to, and which guards it trips. */
@Entity({ name: 'plans' })
export class PlanRow {
  @PrimaryColumn('text', { name: 'run_id' })
  runId!: string;

  /** Null when the plan was refused (see problems). */
  @Column('jsonb', { name: 'plan_ref', nullable: true })
  planRef!: { bucket: string; name: string; records: number; sha256: string } | null;

  @Column('jsonb')
  summary!: Record<string, number>;

  @Column('jsonb')
  violations!: { guard: string; limit: number; actual: number; message: string }[];

  /** Objects refused or left out: { code, message, details (key, row, field...) }. */
  @Column('jsonb')
  problems!: { code: string; message: string; details: Record<string, string> }[];

  /** NDJSON of { dn, anchor }: destination objects no source object claims (null when the plan was refused). */
  @Column('jsonb', { name: 'orphans_ref', nullable: true })
  orphansRef!: { bucket: string; name: string; records: number; sha256: string } | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
