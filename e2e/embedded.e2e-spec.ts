import { GatewayClient } from '@idsync/client';
import { freePort, startSlapd, startSmtp, waitFor, type TestSmtp } from '@idsync/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sliceScenario } from './support/scenario';

type Slapd = Awaited<ReturnType<typeof startSlapd>>;
const root = join(__dirname, '..');

function launch(args: string[], env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number> } {
  let out = '';
  const child = spawn(process.execPath, ['-r', join(root, 'tools/register.js'), join(root, 'services/embedded/src/main.ts'), ...args], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  return { child, output: () => out, exited };
}

jest.setTimeout(600_000);

describe('embedded mode: one process, embedded Postgres and bus', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'idsync-embedded-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('npm start: the demo runs the sample job into an LDIF directory, and a second run changes nothing', async () => {
    const env = { IDSYNC_DATA_DIR: join(dir, 'demo'), GATEWAY_PORT: String(await freePort()) };
    const first = launch(['demo', '--exit'], env);
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/preview: plan: 25 to create/);
    expect(first.output()).toMatch(/run [0-9a-f-]+: completed\n\s+read 25, created 25, updated 0, deleted 0, unchanged 0, failed 0/);
    const ldif = await readFile(join(dir, 'demo', 'demo', 'directory.ldif'), 'utf8');
    expect(ldif.match(/^dn: uid=/gm)).toHaveLength(25);
    const again = launch(['demo', '--exit'], env);
    expect(await again.exited).toBe(0);
    expect(again.output()).toMatch(/read 25, created 0, updated 0, deleted 0, unchanged 25, failed 0/);
  });

  describe('the slice against OpenLDAP, and data that survives a restart', () => {
    let ldap: Slapd;
    let smtp: TestSmtp;
    let server: ReturnType<typeof launch> | undefined;
    const env: Record<string, string> = {};

    beforeAll(async () => {
      [ldap, smtp] = await Promise.all([startSlapd(), startSmtp()]);
      Object.assign(env, {
        IDSYNC_DATA_DIR: join(dir, 'server'),
        GATEWAY_PORT: String(await freePort()),
        GATEWAY_TOKENS: 'alice:operator+viewer:alice-token-1,bob:approver+viewer:bob-token-22',
        NOTIFICATION_SMTP_URL: smtp.url,
      });
    });
    afterAll(async () => {
      server?.child.kill('SIGKILL');
      await Promise.all([ldap?.stop(), smtp?.stop()]);
    });

    async function start(): Promise<GatewayClient> {
      server = launch(['serve'], env);
      const api = new GatewayClient(`http://127.0.0.1:${env.GATEWAY_PORT}`, 'alice-token-1');
      await waitFor(() => api.get('/api/jobs').then(() => true), 60000, `the embedded server to answer (${server.output()})`);
      return api;
    }

    it('drives the whole slice through the REST API, then restarts with everything kept', async () => {
      const operator = await start();
      await sliceScenario({ operator, approver: operator.as('bob-token-22'), dir, ldap, smtp });
      const jobsBefore = await operator.get<{ jobs: { id: string }[] }>('/api/jobs');
      const runsBefore = await operator.get<{ runs: { id: string; state: string }[] }>(`/api/jobs/${jobsBefore.jobs[0].id}/runs`);
      server!.child.kill('SIGTERM');
      expect(await server!.exited).toBe(0);

      const again = await start();
      expect(await again.get('/api/jobs')).toEqual(jobsBefore);
      expect(await again.get(`/api/jobs/${jobsBefore.jobs[0].id}/runs`)).toEqual(runsBefore);
      server!.child.kill('SIGTERM');
      await server!.exited;
    });
  });
});
