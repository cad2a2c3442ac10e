import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, type Entry } from 'ldapts';
import { freePort } from './net';

const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';
const SCHEMAS = ['core', 'cosine', 'nis', 'inetorgperson'];
const BASE_DN = 'dc=example,dc=org';
const ADMIN_DN = `cn=admin,${BASE_DN}`;
const PASSWORD = 'idsync-test-secret';

export interface SlapdHandle {
  /** ldap://127.0.0.1:<port> */
  readonly url: string;
  readonly bindDn: string;
  readonly password: string;
  /** dc=example,dc=org; ou=people below it exists from the start. */
  readonly baseDn: string;
  /** Its config, database and pid file; removed by stop(). */
  readonly dir: string;
  /** The pid of the running slapd; changes after restart(). */
  readonly pid: number;
  /** Kills this slapd (and only it) and deletes its folder. Safe to call twice. */
  stop(): Promise<void>;
  /** Stops and starts the same server (same port, same data), e.g. to test reconnects. */
  restart(): Promise<void>;
}

/**
 * A throwaway OpenLDAP server on a free loopback port, with its own slapd.conf and mdb
 * database under os.tmpdir(). It never touches /etc/ldap/slapd.d or the Debian service, so
 * several test files can each run one at the same time.
 *
 * @example
 *   let ldap: SlapdHandle;
 *   beforeAll(async () => (ldap = await startSlapd()));
 *   afterAll(() => ldap.stop());
 */
export async function startSlapd(): Promise<SlapdHandle> {
  ensureOpenLdapInstalled();
  const dir = await mkdtemp(join(tmpdir(), 'idsync-slapd-'));
  const conf = join(dir, 'slapd.conf');
  try {
    await mkdir(join(dir, 'data'));
    await writeFile(conf, slapdConf(dir));
    await writeFile(join(dir, 'base.ldif'), BASE_LDIF);
    // Offline load before the server starts: no window where the base entries are missing.
    execFileSync(SLAPADD, ['-f', conf, '-l', join(dir, 'base.ldif')], { stdio: 'pipe' });
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }

  let port = 0;
  let child: ChildProcess | undefined;
  let stopped = false;
  // The port can be taken between freePort() and slapd's bind (other test workers pick ports
  // too), so a failed start is retried on a new port.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      child = await launch(conf, port);
      break;
    } catch (e) {
      if (attempt >= 5) {
        await rm(dir, { recursive: true, force: true });
        throw e;
      }
    }
  }

  const url = `ldap://127.0.0.1:${port}`;
  const handle: SlapdHandle = {
    url,
    bindDn: ADMIN_DN,
    password: PASSWORD,
    baseDn: BASE_DN,
    dir,
    get pid() {
      return child?.pid ?? -1;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await kill(child);
      await rm(dir, { recursive: true, force: true });
    },
    async restart() {
      if (stopped) throw new Error('slapd was stopped; start a new one');
      await kill(child);
      child = await launch(conf, port);
    },
  };
  return handle;
}

/** Every entry below `base` matching `filter`, with all user attributes plus entryUUID. */
export async function searchAll(handle: SlapdHandle, base: string, filter = '(objectClass=*)'): Promise<Entry[]> {
  const client = new Client({ url: handle.url, timeout: 10_000, connectTimeout: 5_000 });
  try {
    await client.bind(handle.bindDn, handle.password);
    const { searchEntries } = await client.search(base, { scope: 'sub', filter, attributes: ['*', 'entryUUID', 'modifyTimestamp'], paged: { pageSize: 500 } });
    return searchEntries;
  } finally {
    await client.unbind();
  }
}

function ensureOpenLdapInstalled(): void {
  if (existsSync(SLAPD) && existsSync(SLAPADD) && existsSync('/usr/bin/ldapadd')) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Parallel test workers may all get here; waiting for the dpkg lock beats failing on it.
  const install = () => execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', 'slapd', 'ldap-utils'], { env, stdio: 'pipe' });
  try {
    install();
  } catch {
    execFileSync('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'update'], { env, stdio: 'pipe' });
    install();
  }
}

/** Starts slapd in the foreground (-d 0: no detach, so the pid we hold is the server) and waits for a bind. */
async function launch(conf: string, port: number): Promise<ChildProcess> {
  const url = `ldap://127.0.0.1:${port}`;
  const child = spawn(SLAPD, ['-f', conf, '-h', `${url}/`, '-d', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (b: Buffer) => (output = (output + b.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.once('exit', () => (exited = true));
  child.once('error', (e) => (output += `\n${e.message}`));
  const killOnExit = () => child.kill('SIGKILL');
  // A test run that dies without afterAll must not leave servers behind.
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (exited) throw new Error(`slapd on port ${port} exited: ${output.trim()}`);
    if (await acceptsBind(url)) return child;
    if (Date.now() > deadline) {
      await kill(child);
      throw new Error(`slapd on port ${port} did not accept a bind within 15 s: ${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function acceptsBind(url: string): Promise<boolean> {
  const client = new Client({ url, timeout: 2_000, connectTimeout: 1_000 });
  try {
    await client.bind(ADMIN_DN, PASSWORD);
    return true;
  } catch {
    return false;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

async function kill(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function slapdConf(dir: string): string {
  return [
    ...SCHEMAS.map((s) => `include /etc/ldap/schema/${s}.schema`),
    `pidfile ${join(dir, 'slapd.pid')}`,
    `argsfile ${join(dir, 'slapd.args')}`,
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    'database mdb',
    // The map is reserved address space, not memory used; 256 MB holds far more than any test writes.
    'maxsize 268435456',
    `suffix "${BASE_DN}"`,
    `rootdn "${ADMIN_DN}"`,
    `rootpw ${PASSWORD}`,
    `directory ${join(dir, 'data')}`,
    'index objectClass eq',
    '',
  ].join('\n');
}

const BASE_LDIF = `dn: ${BASE_DN}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: ou=people,${BASE_DN}
objectClass: organizationalUnit
ou: people
`;
