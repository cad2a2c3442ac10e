/**
 * How fast SqlConnector.apply writes to PostgreSQL compared with the fastest bulk load there is (COPY, through
 * psql's \copy). Prints figures; it asserts nothing about time, which depends on the machine.
 *
 *   node -r ./tools/register.js tools/bench/sql-upsert.bench.ts [rows=100000] [operationsPerApply=10000] [batchSize=1000]
 *
 * Needs the local PostgreSQL of the integration tests (IDSYNC_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 * and psql on the PATH. Works in a throwaway database, dropped at the end.
 */
import { createTestDatabase } from '@idsync/testing';
import type { ConnectorOperation } from '@idsync/connector-core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
// A relative import: the @idsync/connector-sql path alias is not declared yet.
import { SqlConnector } from '../../libs/connectors/sql/src';

const [rows = 100_000, perApply = 10_000, batchSize = 1000] = process.argv.slice(2).map(Number);
const COLUMNS = ['id', 'given_name', 'family_name', 'mail', 'department', 'employee_number', 'updated_at'];

function user(i: number): string[] {
  const id = `u${String(i).padStart(7, '0')}`;
  return [id, `Given${i}`, `Family ${i % 977}`, `${id}@example.org`, `Dept ${i % 42}`, String(100_000 + i), new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString()];
}

function ddl(table: string): string {
  return `CREATE TABLE ${table} (id text PRIMARY KEY, given_name text NOT NULL, family_name text NOT NULL, mail text, department text, employee_number integer, updated_at timestamptz)`;
}

async function timeIt(work: () => Promise<void> | void): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function main(): Promise<void> {
  const db = await createTestDatabase('idsync_bench');
  const dir = mkdtempSync(join(tmpdir(), 'idsync-bench-'));
  const admin = new Client({ connectionString: db.url });
  const connector = new SqlConnector({ url: db.url, table: 'users_upsert', keyColumn: 'id', batchSize });
  try {
    await admin.connect();
    await admin.query(ddl('users_upsert'));
    await admin.query(ddl('users_copy'));
    const data = Array.from({ length: rows }, (_, i) => user(i));
    const operations: ConnectorOperation[] = data.map((values) => ({
      kind: 'create',
      dn: values[0],
      changes: COLUMNS.slice(1).map((attribute, c) => ({ attribute, values: [values[c + 1]] })),
    }));

    const applyAll = async () => {
      for (let i = 0; i < operations.length; i += perApply) {
        const outcomes = await connector.apply(operations.slice(i, i + perApply));
        const bad = outcomes.find((o) => o.status !== 'succeeded');
        if (bad) throw new Error(`apply failed: ${JSON.stringify(bad)}`);
      }
    };
    const insertSeconds = await timeIt(applyAll);
    // The same operations again: every row now conflicts, so this measures the update path of the upsert.
    const reapplySeconds = await timeIt(applyAll);

    const csv = join(dir, 'users.csv');
    writeFileSync(csv, data.map((r) => r.join(',')).join('\n') + '\n');
    const copySeconds = await timeIt(() => {
      execFileSync('psql', [db.url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `\\copy users_copy (${COLUMNS.join(', ')}) FROM '${csv}' WITH (FORMAT csv)`], { stdio: ['ignore', 'ignore', 'inherit'] });
    });

    const count = async (t: string) => Number((await admin.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
    const [upserted, copied] = [await count('users_upsert'), await count('users_copy')];
    if (upserted !== rows || copied !== rows) throw new Error(`expected ${rows} rows in each table; got ${upserted} upserted and ${copied} copied`);

    const rate = (s: number) => Math.round(rows / s);
    const line = (label: string, s: number) => `${label.padEnd(44)} ${s.toFixed(2).padStart(8)} s ${rate(s).toLocaleString('en-US').padStart(12)} rows/s`;
    console.log(`${rows.toLocaleString('en-US')} users, ${perApply.toLocaleString('en-US')} operations per apply(), ${batchSize} rows per statement`);
    console.log(line('SqlConnector.apply (insert)', insertSeconds));
    console.log(line('SqlConnector.apply (again: all conflicts)', reapplySeconds));
    console.log(line('psql \\copy (CSV already written)', copySeconds));
    console.log(`ratio: \\copy is ${(insertSeconds / copySeconds).toFixed(1)}x the insert rate and ${(reapplySeconds / copySeconds).toFixed(1)}x the re-apply rate`);
  } finally {
    await connector.close();
    await admin.end().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
