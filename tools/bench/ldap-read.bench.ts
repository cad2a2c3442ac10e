/**
 * Reads N inetOrgPerson entries through LdapConnector.readSnapshot (paged search, 500 per page) and prints
 * throughput and peak RSS. Figures only, no assertions: compare runs on the same machine.
 *
 *   npm run bench ldap-read                                  # builds, then runs the compiled file
 *   LDAP_BENCH_ENTRIES=20000 npm run bench ldap-read
 *
 * LDAP_BENCH_ENTRIES   entries loaded under ou=people and read back (default 100000)
 * LDAP_BENCH_PAGE_SIZE entries per page of the read (default 500)
 *
 * The entries are loaded beforehand with ldapadd of a generated LDIF into a fresh slapd from startSlapd(),
 * which is stopped at the end. Peak RSS is this process's (the connector's) high-water mark as the kernel keeps it
 * (process.resourceUsage().maxRSS): every peak counts, however short, including those of writing the LDIF and
 * counting the entries before the read (ldapadd, a process of its own, does the loading).
 */
import { startSlapd } from '@idsync/testing';
import { LdapConnector } from '@idsync/connector-ldap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countEntries, envInt, fmt, ldapadd, seconds, writeLdif } from './ldap-fixtures';

const ENTRIES = envInt('LDAP_BENCH_ENTRIES', 100_000);
const PAGE_SIZE = envInt('LDAP_BENCH_PAGE_SIZE', 500);
const RSS_BUDGET = 256 * 1024 * 1024;
const MB = 1024 * 1024;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'idsync-bench-ldap-'));
  const slapd = await startSlapd();
  const people = `ou=people,${slapd.baseDn}`;
  const ldap = new LdapConnector({ url: slapd.url, bindDn: slapd.bindDn, password: slapd.password, baseDn: slapd.baseDn, pageSize: PAGE_SIZE });
  try {
    const file = join(dir, 'people.ldif');
    process.stdout.write(`loading ${fmt(ENTRIES)} entries with ldapadd... `);
    const loadStart = process.hrtime.bigint();
    await writeLdif(file, 0, ENTRIES, people);
    await ldapadd(slapd, file);
    const loaded = await countEntries(slapd, people);
    console.log(`${seconds(loadStart).toFixed(1)} s, ${fmt(loaded)} entries in the directory`);
    if (loaded !== ENTRIES) throw new Error(`expected ${ENTRIES} entries after the load, found ${loaded}`);

    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage();
    const baseline = before.rss;
    // The heap is sampled (every 50 ms and after every page) only to tell garbage from what is kept; RSS is not sampled.
    let peakHeap = before.heapUsed;
    const sample = () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed));
    const sampler = setInterval(sample, 50);
    let objects = 0;
    let pages = 0;
    let missingAnchors = 0;
    const start = process.hrtime.bigint();
    try {
      for await (const page of ldap.readSnapshot({ objectType: 'user' })) {
        objects += page.length;
        pages++;
        for (const o of page) if (!o.anchor) missingAnchors++;
        sample();
      }
    } finally {
      clearInterval(sampler);
    }
    const elapsed = seconds(start);
    sample();
    const peak = process.resourceUsage().maxRSS * 1024;
    let retained: number | undefined;
    if (gc) {
      gc();
      retained = process.memoryUsage().heapUsed;
    }
    console.log(`entries read:  ${fmt(objects)} in ${fmt(pages)} pages of up to ${PAGE_SIZE}${objects === ENTRIES ? '' : `  (EXPECTED ${fmt(ENTRIES)})`}${missingAnchors ? `, ${fmt(missingAnchors)} without entryUUID` : ''}`);
    console.log(`elapsed:       ${elapsed.toFixed(2)} s`);
    console.log(`throughput:    ${fmt(objects / elapsed)} entries/s`);
    console.log(`RSS before:    ${(baseline / MB).toFixed(0)} MB (node, the connector and its libraries loaded)`);
    console.log(`peak RSS:      ${(peak / MB).toFixed(0)} MB (the kernel's high-water mark for the process)`);
    console.log(`read's own:    ${((peak - baseline) / MB).toFixed(0)} MB over the RSS before`);
    console.log(`JS heap:       ${(before.heapUsed / MB).toFixed(0)} MB before, ${(peakHeap / MB).toFixed(0)} MB at the peak${retained === undefined ? '' : `, ${(retained / MB).toFixed(0)} MB after a full GC at the end`}`);
    console.log(`under 256 MB:  ${peak < RSS_BUDGET ? 'yes' : 'NO'} (peak RSS of the whole process)`);
    if (objects !== ENTRIES) process.exitCode = 1;
  } finally {
    await ldap.close();
    await slapd.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
