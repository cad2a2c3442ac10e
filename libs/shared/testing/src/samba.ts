import { execFile, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'ldapts';
import { ensureAptPackages } from './apt';
import { makeServerFolder, removeServerFolder, serverStopper, startServerProcess } from './server-process';

const SAMBA = '/usr/sbin/samba';
const SAMBA_TOOL = '/usr/bin/samba-tool';
/** samba-ad-provision holds the AD schema files; without it `domain provision` stops at once. */
const PROVISION_SCHEMA = '/usr/share/samba/setup/ad-schema';
const REALM = 'IDSYNC.TEST';
const DOMAIN = 'IDSYNC';
const BASE_DN = 'DC=idsync,DC=test';
/** Samba 4.17 has no setting for the LDAP ports: 389, 636, 3268 and 3269 are fixed. */
const LDAPS_PORT = 636;

export interface SambaHandle {
  /** ldaps://127.0.0.<n>:636 — each DC has its own loopback address, see startSambaDc. */
  readonly url: string;
  /** Administrator@IDSYNC.TEST (a UPN: AD accepts it as a simple-bind name). */
  readonly bindDn: string;
  /** A random password, new for each DC. */
  readonly password: string;
  /** DC=idsync,DC=test */
  readonly baseDn: string;
  /** The DC's self-signed CA (PEM), to pass as `tlsOptions.ca` instead of turning verification off. */
  readonly caFile: string;
  /** The certificate's host name (IDSYNCDC.idsync.test): the URL's IP address does not match it. */
  readonly tlsServerName: string;
  /** The folder holding the DC's configuration and databases; removed by stop(). */
  readonly dir: string;
  readonly pid: number;
  /** Kills this samba (and only it) and deletes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * A throwaway Samba Active Directory DC that runs only its LDAP service, provisioned into a
 * folder under os.tmpdir() and never touching /etc/samba or /var/lib/samba. Installs the Debian
 * packages first when samba-tool is missing. Takes about 5 s (4 s of it provisioning).
 *
 * Hazard: Samba cannot be told to listen on other ports than 389/636/3268/3269, so each DC binds
 * a loopback address of its own (127.0.0.2-254; Linux routes all of 127/8 to `lo`), which lets
 * several test files run one at the same time.
 *
 * @example
 *   let dc: SambaHandle;
 *   beforeAll(async () => (dc = await startSambaDc()), 120_000);
 *   afterAll(() => dc.stop());
 *   new Client({ url: dc.url, tlsOptions: { ca: readFileSync(dc.caFile), servername: dc.tlsServerName } });
 */
export async function startSambaDc(): Promise<SambaHandle> {
  ensureAptPackages({
    files: [SAMBA, SAMBA_TOOL, PROVISION_SCHEMA],
    // samba-ad-dc brings the DC's server modules, samba-ad-provision the schema; ldb-tools is for humans debugging a DC.
    packages: ['samba', 'samba-ad-dc', 'samba-ad-provision', 'ldb-tools'],
    withoutRecommends: true,
  });
  const dir = await makeServerFolder('idsync-samba-');
  // Meets AD's default complexity rule (three character classes, 7+ characters).
  const password = `Adm1n!${randomBytes(12).toString('hex')}`;
  let child: ChildProcess | undefined;
  let host = '';
  try {
    await provision(dir, password);
    for (let attempt = 1; ; attempt++) {
      host = await freeLoopbackAddress();
      const conf = join(dir, `smb-${host}.conf`);
      await writeFile(conf, smbConf(dir, host));
      try {
        child = await launch(conf, host, password);
        break;
      } catch (e) {
        // Another DC may have taken the address between the check and samba's bind.
        if (attempt >= 3) throw e;
        await rm(join(dir, 'samba.pid'), { force: true });
      }
    }
  } catch (e) {
    await removeServerFolder(dir);
    throw e;
  }

  const pid = child.pid ?? -1;
  const running = child;
  return {
    url: `ldaps://${host}:${LDAPS_PORT}`,
    bindDn: `Administrator@${REALM}`,
    password,
    baseDn: BASE_DN,
    caFile: join(dir, 'private', 'tls', 'ca.pem'),
    tlsServerName: `IDSYNCDC.${REALM.toLowerCase()}`,
    dir,
    pid,
    stop: serverStopper(() => running, dir).stop,
  };
}

async function provision(dir: string, password: string): Promise<void> {
  const args = [
    'domain', 'provision',
    `--realm=${REALM}`, `--domain=${DOMAIN}`, '--server-role=dc', '--host-name=idsyncdc',
    // No DNS: the DC is reached by IP, and the internal DNS server would want port 53.
    '--dns-backend=NONE', '--use-rfc2307',
    `--adminpass=${password}`, `--targetdir=${dir}`,
    // Otherwise provision logs to /var/log/samba.
    `--option=log file = ${join(dir, 'log.%m')}`,
  ];
  try {
    await promisify(execFile)(SAMBA_TOOL, args, { cwd: dir, maxBuffer: 16 * 1024 * 1024, timeout: 180_000 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    // The admin password is in the command line that execFile's message repeats.
    throw new Error(`samba-tool domain provision failed: ${(err.stderr ?? '').slice(-2000).replaceAll(password, '***')}`);
  }
}

/** Every path Samba would otherwise take from its compiled-in defaults under /var, /run and /etc. */
function smbConf(dir: string, host: string): string {
  return [
    '[global]',
    'netbios name = IDSYNCDC',
    `realm = ${REALM}`,
    `workgroup = ${DOMAIN}`,
    'server role = active directory domain controller',
    // LDAP only: no SMB, RPC, KDC, NetBIOS or DNS servers that would want more fixed ports.
    'server services = ldap',
    `interfaces = ${host}/8`,
    'bind interfaces only = yes',
    `private dir = ${join(dir, 'private')}`,
    `binddns dir = ${join(dir, 'bind-dns')}`,
    `lock directory = ${dir}`,
    `state directory = ${join(dir, 'state')}`,
    `cache directory = ${join(dir, 'cache')}`,
    `pid directory = ${dir}`,
    `ncalrpc dir = ${join(dir, 'ncalrpc')}`,
    `winbindd socket directory = ${join(dir, 'winbindd')}`,
    `ntp signd socket directory = ${join(dir, 'ntp_signd')}`,
    `log file = ${join(dir, 'log.samba')}`,
    // Simple binds (the connector's) are refused without TLS otherwise; over LDAPS they are fine.
    'ldap server require strong auth = no',
    // Samba generates a self-signed CA and certificate under <private dir>/tls on first start.
    'tls enabled = yes',
    'idmap_ldb:use rfc2307 = yes',
    '',
  ].join('\n');
}

/** A random 127.0.0.<n> on which the LDAPS port is free right now. */
async function freeLoopbackAddress(): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const host = `127.0.0.${randomInt(2, 255)}`;
    if (await portFree(host, LDAPS_PORT)) return host;
  }
  throw new Error('no loopback address with a free port 636 found');
}

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/**
 * Starts samba in the foreground (-i) as one process (-M single), so the pid we hold is the
 * whole server, and waits for an LDAPS bind as Administrator.
 */
function launch(conf: string, host: string, password: string): Promise<ChildProcess> {
  const url = `ldaps://${host}:${LDAPS_PORT}`;
  return startServerProcess({
    name: `samba on ${host}`,
    command: SAMBA,
    args: ['-s', conf, '-i', '-M', 'single', '--no-process-group', '-d', '1'],
    ready: () => acceptsBind(url, password),
    readiness: 'accept an LDAPS bind',
    timeoutMs: 60_000,
    pollMs: 200,
  });
}

async function acceptsBind(url: string, password: string): Promise<boolean> {
  // Readiness only: the certificate is checked by the tests' own clients through caFile.
  const client = new Client({ url, timeout: 3_000, connectTimeout: 1_000, tlsOptions: { rejectUnauthorized: false } });
  try {
    await client.bind(`Administrator@${REALM}`, password);
    return true;
  } catch {
    return false;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}
