import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A connection to an external system. Secrets are AES-256-GCM encrypted, never returned. */
@Entity({ name: 'connections' })
export class ConnectionRow {
  @PrimaryColumn('text')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text')
  kind!: string;

  @Column('jsonb')
  settings!: Record<string, string>;

  /** iv.tag.ciphertext (base64) of the JSON secrets map. */
  @Column('text', { name: 'secrets_sealed', default: '' })
  secretsSealed!: string;

  @Column('text', { array: true, name: 'secret_names', default: () => "'{}'" })
  secretNames!: string[];

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
