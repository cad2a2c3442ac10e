import { ConnectorError, type ConnectorObject, type ConnectorOperation } from '@idsync/connector-core';
import { freePort } from '@idsync/testing';
import { ATTRIBUTE, SCHEMA } from './scim-schemas';
import { ScimConnector, type ScimConnectorOptions } from './scim.connector';
import { startScimTestServer, type ScimTestServer } from './testing/scim-test.server';

const ENTERPRISE = SCHEMA.enterpriseUser;

describe('ScimConnector against an in-process SCIM server', () => {
  let server: ScimTestServer;
  beforeEach(async () => (server = await startScimTestServer('s3cret')));
  afterEach(() => server.close());

  const connector = (extra: Partial<ScimConnectorOptions> = {}) => new ScimConnector({ baseUrl: server.url, token: server.token, retryDelayMs: 10, ...extra });

  async function read(c: ScimConnector, objectType = 'user', pageSize?: number): Promise<ConnectorObject[][]> {
    const pages: ConnectorObject[][] = [];
    for await (const p of c.readSnapshot({ objectType, pageSize })) pages.push(p);
    return pages;
  }

  const create = (userName: string, extra: Record<string, string[]> = {}): ConnectorOperation => ({
    kind: 'create',
    dn: '',
    changes: [{ attribute: 'userName', values: [userName] }, ...Object.entries(extra).map(([attribute, values]) => ({ attribute, values }))],
  });

  const idOf = (message: string | undefined) => /id=(\S+)/.exec(message ?? '')?.[1] ?? '';

  it('creates a user with every mapped attribute and reads it back', async () => {
    const scim = connector();
    await expect(scim.testConnection()).resolves.toBeUndefined();
    const attributes = {
      [ATTRIBUTE.externalId]: ['emp-1'],
      [ATTRIBUTE.displayName]: ["Ada O'Brien"],
      [ATTRIBUTE.active]: ['true'],
      [ATTRIBUTE.givenName]: ['Ada'],
      [ATTRIBUTE.familyName]: ["O'Brien"],
      [ATTRIBUTE.workEmail]: ['ada@example.org'],
      [ATTRIBUTE.workPhone]: ['+1 555 0100'],
      [ATTRIBUTE.title]: ['Engineer'],
      [ATTRIBUTE.employeeNumber]: ['701984'],
      [ATTRIBUTE.department]: ['Research'],
      [ATTRIBUTE.manager]: ['boss-id'],
    };
    const [outcome] = await scim.apply([create('ada@example.org', attributes)]);
    expect(outcome).toEqual({ status: 'succeeded', message: expect.stringMatching(/^id=[0-9a-f-]{36}$/) });
    const id = idOf(outcome.message);
    const stored = server.users.get(id)!;
    expect(stored.schemas).toEqual([SCHEMA.user, ENTERPRISE]);
    expect(stored.emails).toEqual([{ type: 'work', value: 'ada@example.org', primary: true }]);
    expect(stored[ENTERPRISE]).toEqual({ employeeNumber: '701984', department: 'Research', manager: { value: 'boss-id' } });

    const [[ada]] = await read(scim);
    expect(ada).toEqual({ key: id, anchor: id, attributes: { userName: ['ada@example.org'], ...attributes } });
  });

  it('reads 250 users in pages of 100 with a 1-based startIndex', async () => {
    const scim = connector({ pageSize: 100 });
    const outcomes = await scim.apply(Array.from({ length: 250 }, (_, i) => create(`user${i}`)));
    expect(outcomes.filter((o) => o.status === 'succeeded')).toHaveLength(250);
    server.requests.length = 0;
    const pages = await read(scim);
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    expect(new Set(pages.flat().map((o) => o.key)).size).toBe(250);
    expect(server.requests).toEqual(['GET /scim/v2/Users?startIndex=1&count=100', 'GET /scim/v2/Users?startIndex=101&count=100', 'GET /scim/v2/Users?startIndex=201&count=100']);
    expect((await read(scim, 'user', 125)).map((p) => p.length)).toEqual([125, 125]);
  });

  it('reads an empty server as no pages', async () => {
    expect(await read(connector())).toEqual([]);
  });

  // SCIMMY's filter parser stops at an escaped quote, so the JSON escaping of `"` and `\` is covered
  // by the unit tests; here the value carries what the URL encoding must survive.
  it('treats a second create of the same userName as success, looked up with a URL-encoded filter', async () => {
    const scim = connector();
    const hostile = "O'Brien (Admin) & co+1 %20 ë";
    const [first] = await scim.apply([create(hostile)]);
    server.requests.length = 0;
    const [second] = await scim.apply([create(hostile)]);
    expect(second).toEqual({ status: 'succeeded', message: `already exists id=${idOf(first.message)}` });
    expect(server.requests).toEqual([expect.stringMatching(/^GET \/scim\/v2\/Users\?filter=/)]);
    expect(new URL(server.requests[0].slice(4), 'http://x').searchParams.get('filter')).toBe(`userName eq "${hostile}"`);
    expect(server.users.size).toBe(1);
  });

  it('PATCHes replace and remove, including a work email the user did not have', async () => {
    const scim = connector();
    const id = idOf((await scim.apply([create('grace', { [ATTRIBUTE.title]: ['Admiral'], [ATTRIBUTE.givenName]: ['Grace'], [ATTRIBUTE.workPhone]: ['1'] })]))[0].message);
    const outcomes = await scim.apply([
      {
        kind: 'update',
        dn: id,
        changes: [
          { attribute: 'TITLE', values: ['Rear Admiral'] },
          { attribute: ATTRIBUTE.givenName, values: [] },
          { attribute: ATTRIBUTE.workEmail, values: ['grace@example.org'] },
          { attribute: ATTRIBUTE.workPhone, values: [] },
          { attribute: ATTRIBUTE.department, values: ['Navy'] },
        ],
      },
    ]);
    expect(outcomes).toEqual([{ status: 'succeeded' }]);
    const [[grace]] = await read(scim);
    expect(grace.attributes).toEqual({ userName: ['grace'], title: ['Rear Admiral'], [ATTRIBUTE.workEmail]: ['grace@example.org'], [ATTRIBUTE.department]: ['Navy'] });

    expect(await scim.apply([{ kind: 'update', dn: id, changes: [{ attribute: ATTRIBUTE.workEmail, values: ['hopper@example.org'] }] }])).toEqual([{ status: 'succeeded' }]);
    expect(server.users.get(id)!.emails).toEqual([{ type: 'work', value: 'hopper@example.org' }]);
  });

  it('disables with active=false', async () => {
    const scim = connector();
    const id = idOf((await scim.apply([create('linus', { active: ['true'] })]))[0].message);
    expect(await scim.apply([{ kind: 'disable', dn: id, changes: [] }])).toEqual([{ status: 'succeeded' }]);
    expect(server.users.get(id)!.active).toBe(false);
  });

  it('deletes, and a second delete of the same id is success', async () => {
    const scim = connector();
    const id = idOf((await scim.apply([create('temp')]))[0].message);
    expect(await scim.apply([{ kind: 'delete', dn: id, changes: [] }, { kind: 'delete', dn: id, changes: [] }])).toEqual([
      { status: 'succeeded' },
      { status: 'succeeded', message: 'no such object' },
    ]);
    expect(server.users.size).toBe(0);
  });

  it('fails an update of an unknown id, and a value the server refuses, with the SCIM detail', async () => {
    const scim = connector();
    const [missing, unknown] = await scim.apply([
      { kind: 'update', dn: 'no-such-id', changes: [{ attribute: 'title', values: ['x'] }] },
      { kind: 'update', dn: 'no-such-id', changes: [{ attribute: 'favouriteColour', values: ['x'] }] },
    ]);
    expect(missing).toEqual({ status: 'failed', message: 'no such user: no-such-id' });
    expect(unknown).toEqual({ status: 'failed', message: expect.stringContaining('"favouriteColour" is not a SCIM user attribute') });
    const [refused] = await scim.apply([{ kind: 'create', dn: '', changes: [{ attribute: 'displayName', values: ['no userName'] }] }]);
    expect(refused).toEqual({ status: 'failed', message: 'a user needs userName to be created' });
  });

  it('writes and reads groups with members as member ids', async () => {
    const scim = connector({ objectType: 'group' });
    const users = connector();
    const [a, b] = (await users.apply([create('m1'), create('m2')])).map((o) => idOf(o.message));
    const [g] = await scim.apply([{ kind: 'create', dn: '', changes: [{ attribute: 'displayName', values: ['Admins'] }, { attribute: 'members', values: [a] }] }]);
    const id = idOf(g.message);
    expect(await scim.apply([{ kind: 'update', dn: id, changes: [{ attribute: 'members', values: [a, b] }] }])).toEqual([{ status: 'succeeded' }]);
    expect(await read(scim, 'group')).toEqual([[{ key: id, anchor: id, attributes: { displayName: ['Admins'], members: [a, b] } }]]);
    expect((await scim.apply([{ kind: 'create', dn: '', changes: [{ attribute: 'displayName', values: ['Admins'] }] }]))[0].message).toBe(`already exists id=${id}`);
  });

  it('adds and removes group members with PATCH add and value-filter remove, idempotently', async () => {
    const scim = connector({ objectType: 'group' });
    const [a, b, c] = (await connector().apply([create('m1'), create('m2'), create('m3')])).map((o) => idOf(o.message));
    const id = idOf((await scim.apply([{ kind: 'create', dn: '', changes: [{ attribute: 'displayName', values: ['Team'] }, { attribute: 'members', mode: 'add', values: [a] }] }]))[0].message);
    const members = (values: string[], mode: 'add' | 'remove'): ConnectorOperation => ({ kind: 'update', dn: id, changes: [{ attribute: 'members', mode, values }] });
    const stored = () => (server.groups.get(id)!.members as { value: string }[] | undefined)?.map((m) => m.value).sort() ?? [];
    const patches = () => server.requests.filter((r) => r.startsWith('PATCH'));

    server.requests.length = 0;
    expect(await scim.apply([members([a, b], 'add'), members([a, b], 'add')])).toEqual([{ status: 'succeeded' }, { status: 'succeeded', message: 'nothing to change' }]);
    expect(stored()).toEqual([a, b].sort());
    expect(patches()).toHaveLength(1);
    expect(await scim.apply([members([b, c], 'remove'), members([b, c], 'remove')])).toEqual([{ status: 'succeeded' }, { status: 'succeeded', message: 'nothing to change' }]);
    expect(stored()).toEqual([a]);
    expect(await scim.apply([{ kind: 'update', dn: id, changes: [{ attribute: 'members', mode: 'add', values: [c] }, { attribute: 'members', mode: 'remove', values: [a, c] }, { attribute: 'members', mode: 'add', values: [b] }] }])).toEqual([{ status: 'succeeded' }]);
    expect(await read(scim, 'group')).toEqual([[{ key: id, anchor: id, attributes: { displayName: ['Team'], members: [b] } }]]);
    expect(await scim.apply([members([a], 'add')].map((o) => ({ ...o, dn: 'no-such-id' })))).toEqual([{ status: 'failed', message: 'no such group: no-such-id' }]);
  });

  it('waits Retry-After seconds on 429 and retries', async () => {
    const scim = connector({ maxRetries: 3 });
    server.throttle(2, '1');
    const started = Date.now();
    const [outcome] = await scim.apply([create('patient')]);
    expect(outcome.status).toBe('succeeded');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    expect(server.requests.slice(0, 3)).toEqual(Array(3).fill(expect.stringMatching(/^GET \/scim\/v2\/Users\?filter=/)));
  });

  it('backs off without Retry-After, and reports retryable once maxRetries are spent', async () => {
    const scim = connector({ maxRetries: 2 });
    server.throttle(3);
    expect(await scim.apply([{ kind: 'delete', dn: 'x', changes: [] }])).toEqual([{ status: 'retryable', message: 'HTTP 429: too many requests' }]);
    expect(server.requests).toHaveLength(3);
    server.throttle(3, '0');
    expect(await scim.apply([create('later')])).toEqual([{ status: 'retryable', message: expect.stringContaining('looking up userName "later" failed: HTTP 429') }]);
    server.throttle(5, '0');
    await expect(read(scim)).rejects.toMatchObject({ code: 'SCIM.READ_FAILED', retryable: true });
    expect(server.users.size).toBe(0);
  });

  it('throws CONNECTOR.AUTH_FAILED for a wrong token', async () => {
    const scim = connector({ token: 'wrong' });
    await expect(scim.testConnection()).rejects.toMatchObject({ code: 'CONNECTOR.AUTH_FAILED', retryable: false });
    await expect(scim.apply([create('x')])).rejects.toBeInstanceOf(ConnectorError);
    await expect(read(scim)).rejects.toMatchObject({ code: 'CONNECTOR.AUTH_FAILED' });
  });

  it('throws CONNECTOR.UNREACHABLE, retryable, for a closed port', async () => {
    const scim = new ScimConnector({ baseUrl: `http://127.0.0.1:${await freePort()}/scim/v2`, token: 't', timeoutMs: 2000 });
    await expect(scim.apply([create('x'), create('y')])).rejects.toMatchObject({ code: 'CONNECTOR.UNREACHABLE', retryable: true });
    await expect(read(scim)).rejects.toMatchObject({ code: 'CONNECTOR.UNREACHABLE' });
    await expect(scim.testConnection()).rejects.toMatchObject({ code: 'CONNECTOR.UNREACHABLE' });
  });
});
