import { transform, version as swcVersion, type Options } from '@swc/core';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';

/**
 * `npm run build`: compiles the TypeScript of libs/, services/ and tools/ into dist/ (same tree, `.js` beside
 * `.js.map`) with SWC, and writes dist/node_modules/@idsync/* so that the path aliases of tsconfig.base.json resolve
 * to the compiled files by Node's own package lookup. What runs from dist/ loads no TypeScript and no loader:
 *
 *   npm run build && node dist/services/embedded/src/main.js demo
 *
 * Incremental: a file is compiled again only when its source is newer than its output (or the compiler or its
 * options changed); outputs whose source is gone are removed. It does not type-check: `npm run typecheck` does.
 * Tests (*.spec.ts, *.int-spec.ts) are left out; jest compiles them itself (jest.config.js).
 *
 * @example
 *   const r = await build();   // { compiled: 265, upToDate: 0, copied: 1, removed: 0, outDir: '/repo/dist' }
 */

/** The same compilation as jest.config.js: legacy decorators with their metadata, which NestJS DI reads at run time. */
export const SWC_OPTIONS: Options = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: true,
  swcrc: false,
  configFile: false,
};

const SOURCE_ROOTS = ['libs', 'services', 'tools'];
/** Written beside the output: a different compiler or options makes every file stale. */
const STAMP = '.build-stamp.json';

export interface BuildOptions {
  /** The repository root (default: the parent of tools/). */
  root?: string;
  /** Default <root>/dist. */
  outDir?: string;
  log?: (line: string) => void;
}

export interface BuildResult {
  outDir: string;
  compiled: number;
  upToDate: number;
  /** Plain files copied as they are (e.g. a worker thread's .js). */
  copied: number;
  /** Outputs removed because their source is gone. */
  removed: number;
}

interface Job {
  source: string;
  out: string;
  kind: 'compile' | 'copy';
}

export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const root = options.root ?? join(__dirname, '..');
  const outDir = options.outDir ?? join(root, 'dist');
  const stamp = JSON.stringify({ swc: swcVersion, options: SWC_OPTIONS });
  const fresh = (await readFile(join(outDir, STAMP), 'utf8').catch(() => '')) !== stamp;

  const jobs: Job[] = [];
  for (const top of SOURCE_ROOTS) {
    for (const source of await walk(join(root, top))) {
      const rel = relative(root, source);
      if (isCompiled(rel)) jobs.push({ source, out: join(outDir, rel.replace(/\.ts$/, '.js')), kind: 'compile' });
      else if (isRuntimeAsset(rel)) jobs.push({ source, out: join(outDir, rel), kind: 'copy' });
    }
  }

  const result: BuildResult = { outDir, compiled: 0, upToDate: 0, copied: 0, removed: 0 };
  const stale: Job[] = [];
  for (const job of jobs) {
    if (!fresh && (await isNewer(job.out, job.source))) result.upToDate++;
    else stale.push(job);
  }
  // SWC compiles on its own thread pool; a bounded number in flight keeps memory flat on a large tree.
  for (let i = 0; i < stale.length; i += 32) {
    await Promise.all(stale.slice(i, i + 32).map((job) => (job.kind === 'compile' ? compileFile(job.source, job.out) : copyAsset(job.source, job.out))));
  }
  result.compiled = stale.filter((j) => j.kind === 'compile').length;
  result.copied = stale.length - result.compiled;

  const expected = new Set(jobs.flatMap((j) => (j.kind === 'compile' ? [j.out, `${j.out}.map`] : [j.out])));
  for (const top of SOURCE_ROOTS) {
    for (const file of await walk(join(outDir, top))) {
      if (!expected.has(file)) {
        await rm(file, { force: true });
        result.removed++;
      }
    }
  }

  await writeAliasPackages(root, outDir);
  await writeFile(join(outDir, STAMP), stamp);
  options.log?.(`build: ${result.compiled} compiled, ${result.upToDate} up to date, ${result.copied} copied, ${result.removed} removed → ${relative(process.cwd(), outDir) || '.'}`);
  return result;
}

/** TypeScript that runs: not tests, not declarations. */
export function isCompiled(relPath: string): boolean {
  return relPath.endsWith('.ts') && !relPath.endsWith('.d.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(relPath);
}

/** Plain files a library or service loads by path at run time (a worker thread's .js, a JSON file), under a src/ folder. */
export function isRuntimeAsset(relPath: string): boolean {
  const parts = relPath.split(sep);
  return parts[0] !== 'tools' && parts.includes('src') && /\.(js|cjs|mjs|json)$/.test(relPath);
}

/**
 * One package manifest per path alias, placed in dist/node_modules so that `require('@idsync/x')` from any compiled
 * file finds it by Node's ordinary lookup (walking up to dist/), and whose `main` points at the compiled entry file.
 * The module then loads under its real path: no second copy of a library, no resolver hook, nothing to pass to node.
 */
export function aliasPackages(paths: Record<string, string[]>): { dir: string; manifest: { name: string; private: true; main: string } }[] {
  return Object.entries(paths).map(([alias, [target]]) => {
    if (alias.includes('*')) throw new Error(`tsconfig path "${alias}" is a wildcard; the build maps exact aliases only`);
    const dir = join('node_modules', ...alias.split('/'));
    const main = relative(dir, target.replace(/\.ts$/, '.js')).split(sep).join('/');
    return { dir, manifest: { name: alias, private: true, main } };
  });
}

async function writeAliasPackages(root: string, outDir: string): Promise<void> {
  const { compilerOptions } = JSON.parse(await readFile(join(root, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
  const packages = aliasPackages(compilerOptions.paths);
  // Rewritten whole each time: an alias removed from tsconfig.base.json must stop resolving.
  await rm(join(outDir, 'node_modules'), { recursive: true, force: true });
  for (const { dir, manifest } of packages) {
    await mkdir(join(outDir, dir), { recursive: true });
    await writeFile(join(outDir, dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  }
}

async function compileFile(source: string, out: string): Promise<void> {
  const code = await readFile(source, 'utf8');
  const output = await transform(code, { ...SWC_OPTIONS, filename: source, sourceFileName: relative(dirname(out), source).split(sep).join('/') });
  await mkdir(dirname(out), { recursive: true });
  await writeFile(`${out}.map`, output.map ?? '');
  await writeFile(out, `${output.code}\n//# sourceMappingURL=${basename(out)}.map\n`);
}

async function copyAsset(source: string, out: string): Promise<void> {
  await mkdir(dirname(out), { recursive: true });
  await copyFile(source, out);
}

async function isNewer(out: string, source: string): Promise<boolean> {
  const [o, s] = await Promise.all([stat(out).catch(() => undefined), stat(source)]);
  return !!o && o.mtimeMs >= s.mtimeMs;
}

/** Every file under dir (none if it does not exist), node_modules skipped. */
async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') files.push(...(await walk(path)));
    } else if (e.isFile()) files.push(path);
  }
  return files;
}

if (require.main === module) {
  build({ log: console.log }).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
