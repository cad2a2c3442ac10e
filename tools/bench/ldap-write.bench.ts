/**
 * How fast LdapConnector.apply creates entries in OpenLDAP compared with ldapadd of the same entries as LDIF.
 * Prints figures; it asserts nothing about time, which depends on the machine.
 *
 *   node -r ./tools/register.js tools/bench/ldap-write.bench.ts
 *   LDAP_BENCH_ENTRIES=20000 LDAP_BENCH_CONFIGS=4x1000,16x1000,32x5000 npm run bench ldap-write
 *
 * LDAP_BENCH_ENTRIES   inetOrgPerson entries written under ou=people (default 100000)
 * LDAP_BENCH_CONFIGS   connector runs, each <concurrency>x<operations per apply()> (default 4x1000,8x1000)
 *
 * Every run (each connector configuration, and ldapadd) writes into its own fresh slapd from startSlapd(),
 * so all of them create the same N entries into an empty directory; each slapd is stopped after its run.
 * ldapadd is timed from its start to its exit, with the LDIF already written.
 */
import { startSlapd, type SlapdHandle } from '@idsync/testing';
import { LdapConnector } from '@idsync/connector-ldap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countEntries, createOperation, envInt, fmt, ldapadd, seconds, writeLdif } from './ldap-fixtures';

const ENTRIES = envInt('LDAP_BENCH_ENTRIES', 100_000);
const CONFIGS = (process.env.LDAP_BENCH_CONFIGS || '4x1000,8x1000').split(',').map((c) => {
  const m = /^\s*(\d+)\s*x\s*(\d+)\s*$/.exec(c);
  if (!m) throw new Error(`LDAP_BENCH_CONFIGS: "${c}" is not <concurrency>x<operations per apply>`);
  return { concurrency: Number(m[1]), perApply: Number(m[2]) };
});

interface Run {
  label: string;
  seconds: number;
  count: number;
}

/** A fresh slapd for one run, stopped whatever happens. */
async function withSlapd<T>(work: (slapd: SlapdHandle, people: string) => Promise<T>): Promise<T> {
  const slapd = await startSlapd();
  try {
    return await work(slapd, `ou=people,${slapd.baseDn}`);
  } finally {
    await slapd.stop();
  }
}

async function connectorRun(concurrency: number, perApply: number): Promise<Run> {
  return withSlapd(async (slapd, people) => {
    const ldap = new LdapConnector({ url: slapd.url, bindDn: slapd.bindDn, password: slapd.password, baseDn: slapd.baseDn, concurrency });
    try {
      const start = process.hrtime.bigint();
      for (let from = 0; from < ENTRIES; from += perApply) {
        const to = Math.min(ENTRIES, from + perApply);
        const operations = Array.from({ length: to - from }, (_, k) => createOperation(from + k, people));
        const outcomes = await ldap.apply(operations);
        const bad = outcomes.findIndex((o) => o.status !== 'succeeded' || o.message);
        if (bad >= 0) throw new Error(`apply: ${operations[bad].dn}: ${JSON.stringify(outcomes[bad])}`);
      }
      const elapsed = seconds(start);
      return { label: `LdapConnector.apply, concurrency ${concurrency}, ${fmt(perApply)} ops/apply`, seconds: elapsed, count: await countEntries(slapd, people) };
    } finally {
      await ldap.close();
    }
  });
}

async function ldapaddRun(dir: string): Promise<Run> {
  return withSlapd(async (slapd, people) => {
    const file = join(dir, 'people.ldif');
    await writeLdif(file, 0, ENTRIES, people);
    const start = process.hrtime.bigint();
    await ldapadd(slapd, file);
    const elapsed = seconds(start);
    return { label: 'ldapadd -f (one connection, LDIF already written)', seconds: elapsed, count: await countEntries(slapd, people) };
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'idsync-bench-ldap-'));
  try {
    console.log(`${fmt(ENTRIES)} inetOrgPerson entries (10 attributes each), each run into a fresh slapd (mdb)`);
    const runs: Run[] = [];
    const show = (r: Run) => console.log(`${r.label.padEnd(56)} ${r.seconds.toFixed(2).padStart(8)} s ${fmt(ENTRIES / r.seconds).padStart(8)} entries/s   ${fmt(r.count)} entries found`);
    const reference = await ldapaddRun(dir);
    show(reference);
    for (const { concurrency, perApply } of CONFIGS) {
      const run = await connectorRun(concurrency, perApply);
      runs.push(run);
      show(run);
    }
    console.log('');
    for (const r of runs) {
      const ratio = reference.seconds / r.seconds;
      console.log(`${r.label.padEnd(56)} ${ratio.toFixed(2)}x ldapadd's rate (${ratio >= 1 ? 'faster' : 'slower'})`);
    }
    const best = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a), runs[0]);
    if (best) console.log(`best connector configuration: ${best.label}, ${fmt(ENTRIES / best.seconds)} entries/s`);
    const wrong = [reference, ...runs].filter((r) => r.count !== ENTRIES);
    console.log(wrong.length ? `COUNT MISMATCH: ${wrong.map((r) => `${r.label}: ${fmt(r.count)}`).join('; ')}` : `every directory holds ${fmt(ENTRIES)} entries`);
    if (wrong.length) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
