import { execFileSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client, type Entry } from 'ldapts';
import { ensureAptPackages } from './apt';
import { freePort } from './net';
import { makeServerFolder, removeServerFolder, serverStopper, startServerProcess, stopServerProcess } from './server-process';

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
  /** ldaps://127.0.0.1:<port>, with `tls: true` only. */
  readonly ldapsUrl?: string;
  /** The throwaway CA (PEM file) that signed the server certificate, with `tls: true` only. */
  readonly caFile?: string;
}

export interface SlapdOptions {
  /**
   * A throwaway CA and a server certificate for 127.0.0.1 and localhost (made with openssl),
   * and a second listener on ldaps://; ldap:// still answers and offers StartTLS.
   */
  tls?: boolean;
  /**
   * Loads the syncprov overlay, so that the suffix entry carries contextCSN. With `sessionlog`
   * syncprov remembers that many recent changes, so a content sync names deleted entries; with
   * `reloadHint` it answers a cookie it cannot refresh from with e-syncRefreshRequired.
   */
  syncprov?: boolean | { sessionlog?: number; reloadHint?: boolean };
  /**
   * More slapd.conf lines for the database, e.g. limits: `['sizelimit size.soft=50 size.hard=50']`.
   * Limits never apply to the rootdn (bindDn): bind as another entry to hit them.
   */
  databaseDirectives?: string[];
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
export async function startSlapd(options: SlapdOptions = {}): Promise<SlapdHandle> {
  ensureAptPackages({ files: [SLAPD, SLAPADD, '/usr/bin/ldapadd'], packages: ['slapd', 'ldap-utils'] });
  const dir = await makeServerFolder('idsync-slapd-');
  const conf = join(dir, 'slapd.conf');
  let caFile: string | undefined;
  try {
    await mkdir(join(dir, 'data'));
    if (options.tls) caFile = makeCertificates(dir);
    await writeFile(conf, slapdConf(dir, options));
    await writeFile(join(dir, 'base.ldif'), BASE_LDIF);
    // Offline load before the server starts: no window where the base entries are missing.
    // -w writes contextCSN on the suffix, which syncprov serves from then on.
    execFileSync(SLAPADD, ['-f', conf, ...(options.syncprov ? ['-w'] : []), '-l', join(dir, 'base.ldif')], { stdio: 'pipe' });
  } catch (e) {
    await removeServerFolder(dir);
    throw e;
  }

  let port = 0;
  let tlsPort: number | undefined;
  let child: ChildProcess | undefined;
  // The port can be taken between freePort() and slapd's bind (other test workers pick ports
  // too), so a failed start is retried on a new port.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    tlsPort = options.tls ? await freePort() : undefined;
    try {
      child = await launch(conf, port, tlsPort);
      break;
    } catch (e) {
      if (attempt >= 5) {
        await removeServerFolder(dir);
        throw e;
      }
    }
  }

  const url = `ldap://127.0.0.1:${port}`;
  const stopper = serverStopper(() => child, dir);
  const handle: SlapdHandle = {
    url,
    bindDn: ADMIN_DN,
    password: PASSWORD,
    baseDn: BASE_DN,
    dir,
    get pid() {
      return child?.pid ?? -1;
    },
    stop: stopper.stop,
    async restart() {
      if (stopper.stopped()) throw new Error('slapd was stopped; start a new one');
      await stopServerProcess(child);
      child = await launch(conf, port, tlsPort);
    },
    ...(tlsPort ? { ldapsUrl: `ldaps://127.0.0.1:${tlsPort}`, caFile } : {}),
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

/** Starts slapd in the foreground (-d 0: no detach, so the pid we hold is the server) and waits for a bind. */
function launch(conf: string, port: number, tlsPort?: number): Promise<ChildProcess> {
  const url = `ldap://127.0.0.1:${port}`;
  const urls = tlsPort ? `${url}/ ldaps://127.0.0.1:${tlsPort}/` : `${url}/`;
  return startServerProcess({
    name: `slapd on port ${port}`,
    command: SLAPD,
    args: ['-f', conf, '-h', urls, '-d', '0'],
    ready: () => acceptsBind(url),
    readiness: 'accept a bind',
    timeoutMs: 15_000,
    pollMs: 100,
  });
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

/**
 * A throwaway CA and a server certificate it signed, valid for 127.0.0.1 and localhost, in
 * `dir`; returns the CA's file. Keys are unencrypted: slapd must read them without a prompt.
 */
function makeCertificates(dir: string): string {
  const file = (name: string) => join(dir, name);
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=idsync test CA', '-keyout', file('ca.key'), '-out', file('ca.pem')]);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', file('server.key'), '-out', file('server.csr')]);
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', file('server.ext'), '-out', file('server.pem')]);
  return file('ca.pem');
}

function slapdConf(dir: string, options: SlapdOptions = {}): string {
  return [
    ...SCHEMAS.map((s) => `include /etc/ldap/schema/${s}.schema`),
    `pidfile ${join(dir, 'slapd.pid')}`,
    `argsfile ${join(dir, 'slapd.args')}`,
    ...(options.tls ? [`TLSCACertificateFile ${join(dir, 'ca.pem')}`, `TLSCertificateFile ${join(dir, 'server.pem')}`, `TLSCertificateKeyFile ${join(dir, 'server.key')}`] : []),
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    ...(options.syncprov ? ['moduleload syncprov'] : []),
    'database mdb',
    // The map is reserved address space, not memory used; 256 MB holds far more than any test writes.
    'maxsize 268435456',
    `suffix "${BASE_DN}"`,
    `rootdn "${ADMIN_DN}"`,
    `rootpw ${PASSWORD}`,
    `directory ${join(dir, 'data')}`,
    'index objectClass eq',
    // Before any overlay line: the lines after one configure the overlay.
    ...(options.databaseDirectives ?? []),
    ...(options.syncprov ? ['index entryCSN eq', 'overlay syncprov', ...syncprovDirectives(options.syncprov)] : []),
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

function syncprovDirectives(syncprov: NonNullable<SlapdOptions['syncprov']>): string[] {
  if (typeof syncprov !== 'object') return [];
  return [...(syncprov.sessionlog ? [`syncprov-sessionlog ${syncprov.sessionlog}`] : []), ...(syncprov.reloadHint ? ['syncprov-reloadhint TRUE'] : [])];
}
