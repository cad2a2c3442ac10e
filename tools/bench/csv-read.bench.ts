/**
 * Reads a 1,000,000-row employee CSV through CsvConnector.readSnapshot and prints throughput and peak
 * memory. Figures only, no assertions: compare runs on the same machine.
 *
 *   npm run bench csv-read                                          # builds, then runs the compiled file
 *   npm run build && node --expose-gc dist/tools/bench/csv-read.bench.js [rows]
 *
 * Peak RSS is the kernel's high-water mark for this process (process.resourceUsage().maxRSS): every
 * peak counts, however short, and it includes start-up, so it is the figure a memory limit would see.
 */
import { CsvConnector } from '@idsync/connector-csv';
import { fork } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const RSS_BUDGET = 256 * 1024 * 1024;
const MB = 1024 * 1024;

/** Bytes; resourceUsage() gives kilobytes. */
const maxRss = () => process.resourceUsage().maxRSS * 1024;

async function generate(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const departments = ['Sales', 'Engineering', 'Finance', 'Legal', 'Support'];
  out.write('employeeId,givenName,sn,mail,department,title,manager,hired\n');
  for (let i = 0; i < rows; i++) {
    const id = `E${String(i).padStart(7, '0')}`;
    const line = `${id},Given${i},Surname${i},given${i}.surname${i}@example.org,${departments[i % 5]},"Engineer, level ${i % 7}",E${String(Math.floor(i / 10)).padStart(7, '0')},2020-01-${String((i % 28) + 1).padStart(2, '0')}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Generating leaves garbage the process keeps as RSS; a child does it so the read starts from a clean baseline. */
async function generateInChild(path: string, rows: number): Promise<void> {
  const child = fork(__filename, ['--generate', path, String(rows)], { stdio: 'inherit' });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`the generator exited with ${code}`);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--generate') return generate(process.argv[3], Number(process.argv[4]));
  const path = join(tmpdir(), `idsync-bench-${process.pid}.csv`);
  try {
    process.stdout.write(`generating ${ROWS.toLocaleString('en')} rows in ${path}... `);
    await generateInChild(path, ROWS);
    console.log('done');
    const baseline = process.memoryUsage().rss;
    const started = process.hrtime.bigint();
    let objects = 0;
    for await (const page of new CsvConnector({ path }).readSnapshot({ objectType: 'user', keyAttribute: 'employeeId', pageSize: 1000 })) {
      objects += page.length;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const peak = maxRss();
    console.log(`rows read:     ${objects.toLocaleString('en')}`);
    console.log(`elapsed:       ${seconds.toFixed(2)} s`);
    console.log(`throughput:    ${Math.round(objects / seconds).toLocaleString('en')} rows/s`);
    console.log(`RSS before:    ${(baseline / MB).toFixed(0)} MB (node, the connector and its libraries loaded)`);
    console.log(`peak RSS:      ${(peak / MB).toFixed(0)} MB (the kernel's high-water mark for the process)`);
    console.log(`read's own:    ${((peak - baseline) / MB).toFixed(0)} MB over the RSS before`);
    console.log(`under 256 MB:  ${peak < RSS_BUDGET ? 'yes' : 'NO'} (peak RSS of the whole process)`);
  } finally {
    await rm(path, { force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
