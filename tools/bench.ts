import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from './build';

/**
 * `npm run bench [name...]`: runs every tools/bench/*.bench.ts (or those whose name contains
 * one of the arguments), each in its own process so memory figures are its own, and prints
 * their figures. Benchmarks print; they never assert times.
 *
 * They run compiled, as a deployment does: the build (`npm run build`, incremental) comes first and
 * each benchmark is dist/tools/bench/<name>.bench.js under plain `node`, so no TypeScript compiler
 * sits in the measured process (it adds about 80 MB to every RSS figure).
 */
const dir = join(__dirname, 'bench');

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
    .sort();
  const { outDir } = await build({ log: console.log });
  let failed = 0;
  for (const f of files) {
    process.stdout.write(`\n── ${f} ──\n`);
    const compiled = join(outDir, 'tools', 'bench', f.replace(/\.ts$/, '.js'));
    const r = spawnSync(process.execPath, ['--expose-gc', compiled], { stdio: 'inherit', env: process.env });
    if (r.status !== 0) failed++;
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
