import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { aliasPackages, build, isCompiled, isRuntimeAsset } from './build';

describe('build', () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const run = (file: string) => execFileSync(process.execPath, [join(root, 'dist', file)], { encoding: 'utf8' }).trim();

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'idsync-build-'));
    write('tsconfig.base.json', JSON.stringify({ compilerOptions: { paths: { '@acme/greeting': ['libs/greeting/src/index.ts'] } } }));
    write('libs/greeting/src/index.ts', "export const greet = (name: string): string => `hello ${name}`;\nexport { worker } from './worker';\n");
    write('libs/greeting/src/worker.ts', "import { join } from 'node:path';\nexport const worker = (): string => join(__dirname, 'helper.worker.js');\n");
    write('libs/greeting/src/helper.worker.js', "'use strict';\n");
    write('libs/greeting/src/index.spec.ts', "it('is left out', () => undefined);\n");
    write(
      'services/hello/src/main.ts',
      [
        "import { greet, worker } from '@acme/greeting';",
        "import { existsSync } from 'node:fs';",
        'const seen: unknown[] = [];',
        '(Reflect as unknown as { metadata: unknown }).metadata = (key: string, value: unknown) => () => void seen.push([key, value]);',
        'const Injectable = (): ClassDecorator => () => undefined;',
        'class Clock {}',
        '@Injectable()',
        'class Greeter { constructor(readonly clock: Clock) {} }',
        'console.log(greet(new Greeter(new Clock()).constructor.name), existsSync(worker()), JSON.stringify(seen.filter(([k]) => k === "design:paramtypes").map(([, v]) => (v as { name: string }[]).map((f) => f.name))));',
        '',
      ].join('\n'),
    );
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('compiles to dist/ where aliases resolve by plain node, with decorator metadata and the runtime files a library loads by path', async () => {
    const r = await build({ root });
    expect(r).toMatchObject({ compiled: 3, copied: 1, upToDate: 0, removed: 0 });
    expect(run('services/hello/src/main.js')).toBe('hello Greeter true [["Clock"]]');
    expect(existsSync(join(root, 'dist/libs/greeting/src/index.spec.js'))).toBe(false);
    expect(readFileSync(join(root, 'dist/libs/greeting/src/index.js'), 'utf8')).toMatch(/\/\/# sourceMappingURL=index\.js\.map\n$/);
    expect(JSON.parse(readFileSync(join(root, 'dist/libs/greeting/src/index.js.map'), 'utf8')).sources).toEqual(['../../../../libs/greeting/src/index.ts']);
  });

  it('compiles only what changed since the last build and removes outputs whose source is gone', async () => {
    await build({ root });
    expect(await build({ root })).toMatchObject({ compiled: 0, upToDate: 4, removed: 0 });

    const later = new Date(Date.now() + 5000);
    write('libs/greeting/src/index.ts', "export const greet = (name: string): string => `hi ${name}`;\nexport { worker } from './worker';\n");
    utimesSync(join(root, 'libs/greeting/src/index.ts'), later, later);
    rmSync(join(root, 'libs/greeting/src/helper.worker.js'));
    expect(await build({ root })).toMatchObject({ compiled: 1, upToDate: 2, copied: 0, removed: 1 });
    expect(run('services/hello/src/main.js')).toMatch(/^hi Greeter false /);
  });

  it('drops the alias packages of aliases removed from tsconfig.base.json', async () => {
    await build({ root });
    write('tsconfig.base.json', JSON.stringify({ compilerOptions: { paths: {} } }));
    await build({ root });
    expect(existsSync(join(root, 'dist/node_modules/@acme/greeting'))).toBe(false);
  });
});

describe('aliasPackages', () => {
  it('points each alias at its compiled entry file, relative to the package folder', () => {
    expect(aliasPackages({ '@idsync/connector-csv': ['libs/connectors/csv/src/index.ts'] })).toEqual([
      { dir: join('node_modules', '@idsync', 'connector-csv'), manifest: { name: '@idsync/connector-csv', private: true, main: '../../../libs/connectors/csv/src/index.js' } },
    ]);
  });

  it('refuses wildcard aliases rather than resolving them wrongly', () => {
    expect(() => aliasPackages({ '@idsync/*': ['libs/*/src/index.ts'] })).toThrow(/wildcard/);
  });
});

describe('what is built', () => {
  it('compiles TypeScript that runs, not tests or declarations', () => {
    expect(['libs/a/src/x.ts', 'tools/bench/csv-read.bench.ts', 'libs/a/src/x.spec.ts', 'libs/a/src/x.int-spec.ts', 'libs/a/src/x.d.ts'].map(isCompiled)).toEqual([true, true, false, false, false]);
  });

  it('copies plain files of library and service sources, not of tools', () => {
    expect([join('libs', 'a', 'src', 'w.worker.js'), join('services', 's', 'src', 'x.json'), join('tools', 'register.js'), join('libs', 'a', 'README.md')].map(isRuntimeAsset)).toEqual([true, true, false, false]);
  });
});
