import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run bench [name...]`: runs every tools/bench/*.bench.ts (or those whose name contains
 * one of the arguments), each in its own process so memory figures are its own, and prints
 * their figures. Benchmarks print; they never assert times.
 */
const dir = join(__dirname, 'bench');
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
let failed = 0;
for (const f of files) {
  process.stdout.write(`\n── ${f} ──\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', '-r', join(__dirname, 'register.js'), join(dir, f)], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
