import type { ConnectorObject, ConnectorOperation, OperationOutcome } from '@idsync/connector-core';
import { searchAll, startSlapd, waitFor, type SlapdHandle } from '@idsync/testing';
import { Client } from 'ldapts';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LdapConnector, type LdapConnectorOptions } from './ldap.connector';

const READER_PASSWORD = 'reader-secret';

/**
 * The program behind slapd's sock overlay: slapd hands it every search and add whose DN contains
 * "ou=gated" and goes on only when it answers CONTINUE. So a test decides when the server takes
 * its time (a search held past the time limit) or stops in the middle of a write batch.
 */
class Gate {
  /** Held back from every search until the test sets it. */
  searchDelayMs = 0;
  /** Adds answered before the gate starts holding them; Infinity lets all through. */
  addsBeforeHold = Infinity;
  adds = 0;
  private readonly held: Socket[] = [];
  private waiting?: () => void;

  private constructor(private readonly server: Server) {}

  static async listen(path: string): Promise<Gate> {
    const server = createServer();
    const gate = new Gate(server);
    server.on('connection', (socket) => gate.serve(socket));
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(path, resolve));
    return gate;
  }

  /** Resolves once an add is held: the write batch is then in the middle, on the server. */
  untilHolding(): Promise<void> {
    return this.held.length ? Promise.resolve() : new Promise((resolve) => (this.waiting = resolve));
  }

  /** Lets the held adds go on (the server may commit them even if it can no longer answer) and holds no more. */
  release(): void {
    this.addsBeforeHold = Infinity;
    for (const socket of this.held.splice(0)) socket.end('CONTINUE\n');
  }

  close(): Promise<void> {
    this.release();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    let request = '';
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      request += chunk.toString();
      // A request is its parameters, then a blank line (slapd-sock(5)).
      if (!request.includes('\n\n')) return;
      const operation = request.slice(0, request.indexOf('\n'));
      if (operation === 'ADD' && ++this.adds > this.addsBeforeHold) {
        this.held.push(socket);
        this.waiting?.();
        this.waiting = undefined;
      } else if (operation === 'SEARCH' && this.searchDelayMs) {
        setTimeout(() => socket.end('CONTINUE\n'), this.searchDelayMs);
      } else {
        socket.end('CONTINUE\n');
      }
    });
  }
}

/** True once every thread of the process has stopped (state T in /proc). */
function allThreadsStopped(pid: number): boolean {
  return readdirSync(`/proc/${pid}/task`).every((thread) => {
    const stat = readFileSync(`/proc/${pid}/task/${thread}/stat`, 'utf8');
    // The name in parentheses may hold spaces: the state is the first field after it.
    return stat.charAt(stat.lastIndexOf(')') + 2) === 'T';
  });
}

/**
 * What a directory that fails mid-way does to the connector: a read cut short (size limit, time
 * limit, a server that hangs or restarts between pages) throws and is never a shorter snapshot;
 * a write batch cut short reports what it could not try as retryable, and retrying it is safe.
 */
describe('LdapConnector faults against slapd', () => {
  let slapd: SlapdHandle;
  let gate: Gate;
  let gateDir: string;
  const open: LdapConnector[] = [];

  beforeAll(async () => {
    gateDir = await mkdtemp(join(tmpdir(), 'idsync-ldap-gate-'));
    const socketPath = join(gateDir, 'gate.sock');
    gate = await Gate.listen(socketPath);
    const reader = (name: string) => `dn.exact="cn=${name},dc=example,dc=org"`;
    slapd = await startSlapd({
      databaseDirectives: [
        // Limits never apply to the rootdn: these readers are ordinary entries, added below.
        `limits ${reader('small')} size.soft=50 size.hard=50 time.soft=1 time.hard=1`,
        `limits ${reader('pager')} size.soft=unlimited size.hard=unlimited size.prtotal=30`,
        'moduleload back_sock',
        'overlay sock',
        `socketpath ${socketPath}`,
        'sockops search add',
        'sockdnpat ou=gated',
      ],
    });
    const admin = await adminClient();
    try {
      for (const name of ['small', 'pager']) {
        await admin.add(`cn=${name},${slapd.baseDn}`, { objectClass: ['organizationalRole', 'simpleSecurityObject'], cn: name, userPassword: READER_PASSWORD });
      }
    } finally {
      await admin.unbind();
    }
  });
  afterEach(async () => {
    gate.release();
    gate.searchDelayMs = 0;
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await slapd?.stop();
    await gate?.close();
    if (gateDir) await rm(gateDir, { recursive: true, force: true });
  });

  const connector = (extra: Partial<LdapConnectorOptions> = {}) => {
    const c = new LdapConnector({ url: slapd.url, bindDn: slapd.bindDn, password: slapd.password, baseDn: slapd.baseDn, ...extra });
    open.push(c);
    return c;
  };
  const asReader = (name: string, searchBase: string) => connector({ bindDn: `cn=${name},${slapd.baseDn}`, password: READER_PASSWORD, searchBase, pageSize: 20 });

  async function adminClient(): Promise<Client> {
    const client = new Client({ url: slapd.url, timeout: 10_000 });
    await client.bind(slapd.bindDn, slapd.password);
    return client;
  }

  /** A fresh organizational unit holding `count` people, loaded directly (not through the connector under test). */
  async function ouWith(name: string, count: number): Promise<string> {
    const ou = `ou=${name},${slapd.baseDn}`;
    const admin = await adminClient();
    try {
      await admin.add(ou, { objectClass: ['organizationalUnit'], ou: name });
      for (let i = 0; i < count; i++) await admin.add(`uid=p${i},${ou}`, { objectClass: ['inetOrgPerson'], uid: `p${i}`, cn: `Person ${i}`, sn: 'Person' });
    } finally {
      await admin.unbind();
    }
    return ou;
  }

  /** Reads to the end, or to the error: the objects that came before it are returned with it. */
  async function readAll(pages: AsyncIterator<ConnectorObject[]>, read: ConnectorObject[] = []): Promise<ConnectorObject[]> {
    for (let page = await pages.next(); !page.done; page = await pages.next()) read.push(...page.value);
    return read;
  }

  /** Reads one page, runs `fault`, then reads on: resolves with everything read, or rejects with the read's error. */
  async function faultAfterFirstPage(ldap: LdapConnector, fault: () => Promise<void>, read: ConnectorObject[] = []): Promise<ConnectorObject[]> {
    const pages = ldap.readSnapshot({ objectType: 'user' })[Symbol.asyncIterator]();
    const first = await pages.next();
    if (first.done) throw new Error('the read had no first page');
    read.push(...first.value);
    await fault();
    return readAll(pages, read);
  }

  describe('a read that does not complete throws', () => {
    it('throws LDAP.SIZE_LIMIT_EXCEEDED when the size limit, or the paged-results total, is hit mid-read', async () => {
      const ou = await ouWith('limited', 120);
      // The rootdn has no limits: the whole directory comes back to it.
      expect(await readAll(connector({ searchBase: ou, pageSize: 20 }).readSnapshot({ objectType: 'user' })[Symbol.asyncIterator]())).toHaveLength(120);

      for (const [reader, before] of [['small', 40], ['pager', 20]] as const) {
        const read: ConnectorObject[] = [];
        const error = await readAll(asReader(reader, ou).readSnapshot({ objectType: 'user' })[Symbol.asyncIterator](), read).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'LDAP.SIZE_LIMIT_EXCEEDED', retryable: false, details: { url: slapd.url, searchBase: ou } });
        expect((error as Error).message).toMatch(/size limit .*read is incomplete/);
        // The pages before the limit did come: only the error tells the read apart from a smaller directory.
        expect(read).toHaveLength(before);
      }
    });

    it('throws LDAP.TIME_LIMIT_EXCEEDED, retryable, when a page takes longer than the server allows', async () => {
      const ou = await ouWith('gated-slow', 30);
      const read: ConnectorObject[] = [];
      const error = await faultAfterFirstPage(
        asReader('small', ou),
        async () => {
          // slapd counts whole seconds and stops a search once more than its limit (1 s) has passed,
          // that is when the clock has moved on by 2: held 2.1 s, any page is over the limit.
          gate.searchDelayMs = 2_100;
        },
        read,
      ).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'LDAP.TIME_LIMIT_EXCEEDED', retryable: true, details: { searchBase: ou } });
      expect((error as Error).message).toMatch(/time limit .*read is incomplete/);
      expect(read).toHaveLength(20);
    });

    it('throws CONNECTOR.UNREACHABLE, retryable, when the server stops answering mid-read (the client time-out)', async () => {
      const ou = await ouWith('hung', 60);
      const ldap = connector({ searchBase: ou, pageSize: 20, timeoutMs: 1_000 });
      let stopped = false;
      try {
        const read: ConnectorObject[] = [];
        const error = await faultAfterFirstPage(
          ldap,
          async () => {
            process.kill(slapd.pid, 'SIGSTOP');
            stopped = true;
            // A signal is delivered, not obeyed at once: a thread on another core may still answer.
            await waitFor(() => allThreadsStopped(slapd.pid), 5_000, 'slapd to stop');
          },
          read,
        ).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'CONNECTOR.UNREACHABLE', retryable: true, message: expect.stringMatching(/during the read: .*timed out/) });
        expect(read).toHaveLength(20);
      } finally {
        if (stopped) process.kill(slapd.pid, 'SIGCONT');
      }
      expect(await readAll(ldap.readSnapshot({ objectType: 'user' })[Symbol.asyncIterator]())).toHaveLength(60);
    });

    it('throws CONNECTOR.UNREACHABLE when the server restarts between two pages and forgets the paging cookie', async () => {
      const ou = await ouWith('cookie', 60);
      const ldap = connector({ searchBase: ou, pageSize: 20 });
      const read: ConnectorObject[] = [];
      const error = await faultAfterFirstPage(ldap, () => slapd.restart(), read).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'CONNECTOR.UNREACHABLE', retryable: true, message: expect.stringContaining('during the read') });
      expect(read).toHaveLength(20);
      // The next read starts over, on the restarted server, and is complete.
      expect(await readAll(ldap.readSnapshot({ objectType: 'user' })[Symbol.asyncIterator]())).toHaveLength(60);
    });
  });

  describe('a server that stops mid-write', () => {
    const COUNT = 3000;

    it('reports the operations it could not try as retryable, and a retry leaves every entry once', async () => {
      const ou = await ouWith('gated-write', 0);
      const dn = (i: number) => `uid=u${String(i).padStart(4, '0')},${ou}`;
      const group = `cn=team,${ou}`;
      const person = (i: number): ConnectorOperation => ({
        kind: 'create',
        dn: dn(i),
        objectClasses: ['inetOrgPerson'],
        changes: [{ attribute: 'uid', values: [`u${i}`] }, { attribute: 'cn', values: [`User ${i}`] }, { attribute: 'sn', values: ['User'] }],
      });
      const operations: ConnectorOperation[] = Array.from({ length: COUNT }, (_, i) => person(i));
      // Operations on one DN run in order: a member and a mail value added by updates after the creates.
      operations.splice(
        COUNT / 2,
        0,
        { kind: 'create', dn: group, objectClasses: ['groupOfNames'], changes: [{ attribute: 'cn', values: ['team'] }, { attribute: 'member', values: [dn(0)] }] },
        { kind: 'update', dn: group, changes: [{ attribute: 'member', values: [dn(0), dn(COUNT - 1)] }] },
      );
      operations.push({ kind: 'update', dn: dn(COUNT - 1), changes: [{ attribute: 'mail', values: ['last@example.org', 'final@example.org'] }] });

      const ldap = connector({ searchBase: ou, concurrency: 4 });
      gate.adds = 0;
      gate.addsBeforeHold = 1000;
      const applying = ldap.apply(operations);
      await gate.untilHolding();
      // Stopped by its pid, as an operator's restart would. The held adds may still be committed
      // while their answers are lost: the retry must take "already exists" as done.
      process.kill(slapd.pid, 'SIGTERM');
      gate.release();
      const first = await applying;
      expect(first.filter((o) => o.status === 'failed')).toEqual([]);
      const retryable = first.filter((o) => o.status === 'retryable');
      expect(retryable.length).toBeGreaterThan(COUNT / 2);
      expect(retryable.map((o) => o.message)).toContainEqual(expect.stringMatching(/ECONNREFUSED|Connection closed/));

      // While the server is down, nothing can be tried: apply throws, retryable, and changes nothing.
      const pendingOf = (outcomes: OperationOutcome[], ops: ConnectorOperation[]) => ops.filter((_, i) => outcomes[i].status !== 'succeeded');
      let pending = pendingOf(first, operations);
      await expect(ldap.apply(pending)).rejects.toMatchObject({ code: 'CONNECTOR.UNREACHABLE', retryable: true });

      await slapd.restart();
      // What the connector service does with a batch (apply-batch): apply the operations that did not succeed again, with backoff.
      for (let attempt = 1; pending.length; attempt++) {
        if (attempt > 5) throw new Error(`${pending.length} operations still not applied after 5 attempts`);
        const outcomes = await ldap.apply(pending);
        expect(outcomes.filter((o) => o.status === 'failed')).toEqual([]);
        pending = pendingOf(outcomes, pending);
        if (pending.length) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }

      const entries = await searchAll(slapd, ou, '(objectClass=inetOrgPerson)');
      expect(entries).toHaveLength(COUNT);
      expect(new Set(entries.map((e) => e.dn.toLowerCase())).size).toBe(COUNT);
      const [team] = await searchAll(slapd, ou, '(cn=team)');
      expect(team.member).toEqual([dn(0), dn(COUNT - 1)]);
      const [last] = await searchAll(slapd, ou, `(uid=u${COUNT - 1})`);
      expect(last.mail).toEqual(['last@example.org', 'final@example.org']);
    });
  });
});
