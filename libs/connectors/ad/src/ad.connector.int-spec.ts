import { readFileSync } from 'node:fs';
import type { ConnectorObject, ConnectorOperation } from '@idsync/connector-core';
import { childDn } from '@idsync/connector-ldap';
import { startSambaDc, type SambaHandle } from '@idsync/testing';
import { Client, type SearchOptions } from 'ldapts';
import { ActiveDirectoryConnector } from './ad.connector';
import { readRangedAttribute, type RangeSearcher } from './ad-range';
import { ACCOUNTDISABLE } from './ad-values';

// One Samba DC for the whole file; each test works in OUs of its own.
let dc: SambaHandle;
let ad: ActiveDirectoryConnector;
let tlsOptions: { ca: Buffer; servername: string };

beforeAll(async () => {
  dc = await startSambaDc();
  tlsOptions = { ca: readFileSync(dc.caFile), servername: dc.tlsServerName };
  ad = connector();
  await admin(async (c) => {
    for (const ou of ['Staff', 'Leavers', 'Bulk', 'Delta', 'Members']) await c.add(`OU=${ou},${dc.baseDn}`, { objectClass: 'organizationalUnit' });
  });
}, 120_000);

afterAll(async () => {
  await ad?.close();
  await dc?.stop();
});

function connector(overrides: Partial<ConstructorParameters<typeof ActiveDirectoryConnector>[0]> = {}): ActiveDirectoryConnector {
  return new ActiveDirectoryConnector({ url: dc.url, bindDn: dc.bindDn, password: dc.password, baseDn: dc.baseDn, tlsOptions, ...overrides });
}

async function admin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ url: dc.url, tlsOptions, timeout: 30_000 });
  await c.bind(dc.bindDn, dc.password);
  try {
    return await work(c);
  } finally {
    await c.unbind();
  }
}

/** True when `user` can bind with `password`: the proof that a password was set, or an account enabled. */
async function canBind(user: string, password: string): Promise<boolean> {
  const c = new Client({ url: dc.url, tlsOptions, timeout: 10_000 });
  try {
    await c.bind(user, password);
    return true;
  } catch {
    return false;
  } finally {
    await c.unbind().catch(() => undefined);
  }
}

async function uac(dn: string): Promise<number> {
  const { searchEntries } = await admin((c) => c.search(dn, { scope: 'base', attributes: ['userAccountControl'] }));
  return Number(searchEntries[0].userAccountControl);
}

async function readAll(connector: ActiveDirectoryConnector, objectType: string): Promise<ConnectorObject[]> {
  const all: ConnectorObject[] = [];
  for await (const page of connector.readSnapshot({ objectType })) all.push(...page);
  return all;
}

function userChanges(name: string, password?: string, enabled?: boolean) {
  return [
    { attribute: 'sAMAccountName', values: [name] },
    { attribute: 'userPrincipalName', values: [`${name}@idsync.test`] },
    { attribute: 'givenName', values: [name] },
    ...(password ? [{ attribute: 'password', values: [password] }] : []),
    ...(enabled === undefined ? [] : [{ attribute: 'enabled', values: [String(enabled)] }]),
  ];
}

const staff = () => `OU=Staff,${dc.baseDn}`;

describe('ActiveDirectoryConnector against Samba', () => {
  it('binds, and reports a wrong password as CONNECTOR.AUTH_FAILED', async () => {
    await expect(ad.testConnection()).resolves.toBeUndefined();
    await expect(connector({ password: 'wrong-password' }).testConnection()).rejects.toMatchObject({ code: 'CONNECTOR.AUTH_FAILED', retryable: false });
    await expect(connector({ url: 'ldaps://127.0.0.1:1' }).testConnection()).rejects.toMatchObject({ code: 'CONNECTOR.UNREACHABLE', retryable: true });
  });

  it("discovers users and groups from the DC's schema: auxiliary classes, binary GUID and SID, the objectGUID anchor", async () => {
    const schema = await ad.discover();
    expect(schema.origin).toBe('peer');
    const type = (name: string) => schema.objectTypes.find((t) => t.name === name)!;
    const user = Object.fromEntries(type('user').attributes.map((a) => [a.name, a]));
    expect(type('user')).toMatchObject({ anchor: 'objectGUID', key: 'dn', nativeNames: expect.arrayContaining(['user', 'organizationalPerson', 'person', 'top', 'securityPrincipal']) });
    // sAMAccountName comes from securityPrincipal, an auxiliary class the user class's DIT content rule allows.
    expect(user.sAMAccountName).toEqual({ name: 'sAMAccountName', type: 'string', multiValued: false, required: true });
    expect(user.objectGUID).toEqual({ name: 'objectGUID', type: 'binary', multiValued: false, required: false, readOnly: true });
    expect(user.objectSid).toMatchObject({ type: 'binary', required: false, readOnly: true });
    expect(user.objectCategory.required).toBe(false);
    expect(user.title).toMatchObject({ multiValued: false, required: false });
    expect(user.otherMailbox.multiValued).toBe(true);
    expect(user.userAccountControl.type).toBe('integer');
    expect(user.accountExpires.type).toBe('integer');
    expect(user.whenCreated).toMatchObject({ type: 'datetime', readOnly: true });
    expect(user.password).toMatchObject({ type: 'string', multiValued: false });
    expect(user.enabled.type).toBe('boolean');
    const group = Object.fromEntries(type('group').attributes.map((a) => [a.name, a]));
    expect(group.member).toMatchObject({ type: 'dn', multiValued: true });
    expect(group.groupType).toMatchObject({ type: 'integer', required: true });
    expect(group.password).toBeUndefined();
  });

  it('creates an enabled user with a password it can bind with, and reads it back by objectGUID', async () => {
    const dn = childDn('CN', "O'Brien, Ada", staff());
    const password = 'Init1al!pass-ada';
    const outcomes = await ad.apply([{ kind: 'create', dn, changes: userChanges('ada', password, true) }]);
    expect(outcomes).toEqual([{ status: 'succeeded' }]);
    expect(await canBind('ada@idsync.test', password)).toBe(true);
    expect(await canBind('ada@idsync.test', 'Not-the-pass1')).toBe(false);
    expect((await uac(dn)) & ACCOUNTDISABLE).toBe(0);

    const ada = (await readAll(connector({ searchBase: staff() }), 'user')).find((o) => o.attributes.sAMAccountName?.[0] === 'ada');
    expect(ada).toBeDefined();
    expect(ada?.key).toBe(dn);
    expect(ada?.anchor).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(ada?.attributes.userPrincipalName).toEqual(['ada@idsync.test']);
    expect(ada?.attributes.objectSid?.[0]).toMatch(/^S-1-5-21-\d+-\d+-\d+-\d+$/);
    // The password never comes back, under any name.
    expect(JSON.stringify(ada)).not.toContain(password);
    expect(Object.keys(ada?.attributes ?? {}).map((a) => a.toLowerCase())).not.toContain('unicodepwd');

    // Creating it again is success: the intent holds.
    expect(await ad.apply([{ kind: 'create', dn, changes: userChanges('ada', password, true) }])).toEqual([{ status: 'succeeded', message: 'already exists' }]);
  });

  it('fails a password AD refuses, with AD\'s reason and without the password in the message', async () => {
    const dn = childDn('CN', 'Weak Pass', staff());
    const [outcome] = await ad.apply([{ kind: 'create', dn, changes: userChanges('weak', 'abc', true) }]);
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toMatch(/^ConstraintViolationError \(19\): 0000052D: Constraint violation - check_password_restrictions: the password is too short/);
    expect(outcome.message).not.toContain('"abc"');
  });

  it('disables and enables through userAccountControl, keeping its other flags; a disabled user cannot bind', async () => {
    const dn = childDn('CN', 'Bob', staff());
    const password = 'Init1al!pass-bob';
    expect(await ad.apply([{ kind: 'create', dn, changes: userChanges('bob', password, true) }])).toEqual([{ status: 'succeeded' }]);
    const enabled = await uac(dn);
    expect(await canBind('bob@idsync.test', password)).toBe(true);

    expect(await ad.apply([{ kind: 'disable', dn, changes: [{ attribute: 'description', values: ['left'] }] }])).toEqual([{ status: 'succeeded' }]);
    expect(await uac(dn)).toBe(enabled | ACCOUNTDISABLE);
    expect(await canBind('bob@idsync.test', password)).toBe(false);
    await expect(connector({ bindDn: 'bob@idsync.test', password }).testConnection()).rejects.toMatchObject({ code: 'CONNECTOR.AUTH_FAILED', message: expect.stringContaining('(the account is disabled)') });
    // Disabling twice changes nothing.
    expect((await ad.apply([{ kind: 'disable', dn, changes: [] }]))[0]).toEqual({ status: 'succeeded', message: 'already disabled' });

    expect(await ad.apply([{ kind: 'update', dn, changes: [{ attribute: 'enabled', values: ['true'] }] }])).toEqual([{ status: 'succeeded' }]);
    expect(await uac(dn)).toBe(enabled);
    expect(await canBind('bob@idsync.test', password)).toBe(true);
  });

  it('updates attributes with replace semantics and resets a password', async () => {
    const dn = childDn('CN', 'Cleo', staff());
    expect(await ad.apply([{ kind: 'create', dn, changes: [...userChanges('cleo', 'Init1al!pass-cleo', true), { attribute: 'title', values: ['Engineer'] }] }])).toEqual([{ status: 'succeeded' }]);
    const outcomes = await ad.apply([
      {
        kind: 'update',
        dn,
        changes: [
          { attribute: 'title', values: [] },
          { attribute: 'mail', values: ['cleo@idsync.test'] },
          { attribute: 'description', values: [] }, // absent already: still fine
          { attribute: 'password', values: ['Sec0nd!pass-cleo'] },
        ],
      },
    ]);
    expect(outcomes).toEqual([{ status: 'succeeded' }]);
    const { searchEntries } = await admin((c) => c.search(dn, { scope: 'base', attributes: ['title', 'mail'] }));
    expect(searchEntries[0].mail).toBe('cleo@idsync.test');
    expect(searchEntries[0].title).toEqual([]);
    expect(await canBind('cleo@idsync.test', 'Sec0nd!pass-cleo')).toBe(true);
    // No test that the old password fails: like Windows, Samba keeps accepting it for an hour
    // ("old password allowed period") so that other DCs and sessions can catch up.

    const [missing] = await ad.apply([{ kind: 'update', dn: childDn('CN', 'Nobody', staff()), changes: [{ attribute: 'title', values: ['x'] }] }]);
    expect(missing.status).toBe('failed');
  });

  it('moves a user between OUs, keeping its objectGUID, idempotently', async () => {
    const dn = childDn('CN', 'Dora', staff());
    const newDn = childDn('CN', 'Dora', `OU=Leavers,${dc.baseDn}`);
    expect(await ad.apply([{ kind: 'create', dn, changes: userChanges('dora', 'Init1al!pass-dora', true) }])).toEqual([{ status: 'succeeded' }]);
    const before = (await readAll(connector({ searchBase: staff() }), 'user')).find((o) => o.key === dn);

    expect(await ad.move(dn, newDn)).toEqual({ status: 'succeeded' });
    expect(await ad.move(dn, newDn)).toEqual({ status: 'succeeded', message: 'already renamed' });
    const after = (await readAll(connector({ searchBase: `OU=Leavers,${dc.baseDn}` }), 'user')).find((o) => o.key === newDn);
    expect(after?.anchor).toBe(before?.anchor);
    expect(await canBind('dora@idsync.test', 'Init1al!pass-dora')).toBe(true);

    // A rename in place is a move too.
    const renamed = childDn('CN', 'Dora M.', `OU=Leavers,${dc.baseDn}`);
    expect(await ad.move(newDn, renamed)).toEqual({ status: 'succeeded' });
    expect((await ad.move(childDn('CN', 'Ghost', staff()), renamed.replace('Dora M.', 'Ghost'))).status).toBe('failed');
  });

  it('deletes, and deleting again succeeds', async () => {
    const dn = childDn('CN', 'Eve', staff());
    expect(await ad.apply([{ kind: 'create', dn, changes: userChanges('eve') }])).toEqual([{ status: 'succeeded' }]);
    expect(await ad.apply([{ kind: 'delete', dn, changes: [] }])).toEqual([{ status: 'succeeded' }]);
    expect(await ad.apply([{ kind: 'delete', dn, changes: [] }])).toEqual([{ status: 'succeeded', message: 'no such object' }]);
  });

  it('reads all members of a group of more than 1,500 through range retrieval', async () => {
    const bulk = `OU=Bulk,${dc.baseDn}`;
    const members = Array.from({ length: 1_600 }, (_, i) => childDn('CN', `member-${String(i).padStart(4, '0')}`, bulk));
    // Contacts are the cheapest objects a group can hold; eight adds in flight on one connection.
    await admin(async (c) => {
      const queue = [...members];
      await Promise.all(Array.from({ length: 8 }, async () => {
        for (let dn = queue.shift(); dn; dn = queue.shift()) await c.add(dn, { objectClass: 'contact' });
      }));
    });
    const group = childDn('CN', 'Everyone', bulk);
    expect(await ad.apply([{ kind: 'create', dn: group, objectClasses: ['group'], changes: [{ attribute: 'sAMAccountName', values: ['everyone'] }, { attribute: 'member', values: members }] }])).toEqual([{ status: 'succeeded' }]);

    const lower = (dns: string[]) => dns.map((d) => d.toLowerCase()).sort();
    expect(lower(await ad.readAllValues(group))).toEqual(lower(members));

    // The ranges actually asked for and answered: 0-1499 and then 1500 to the end.
    const asked: string[] = [];
    const answered: string[] = [];
    const values = await admin(async (c) => {
      const spy: RangeSearcher = {
        async search(base: string, options?: SearchOptions) {
          asked.push(...(options?.attributes ?? []));
          const result = await c.search(base, options);
          answered.push(...Object.keys(result.searchEntries[0] ?? {}).filter((k) => /;range=/.test(k) && (result.searchEntries[0][k] as string[]).length));
          return result;
        },
      };
      return readRangedAttribute(spy, group, 'member');
    });
    expect(values).toHaveLength(1_600);
    expect(asked).toEqual(['member;range=0-1499', 'member;range=1500-2999']);
    expect(answered).toEqual(['member;range=0-1499', 'member;range=1500-*']);

    const [everyone] = await readAll(connector({ searchBase: bulk }), 'group');
    expect(everyone.attributes.member).toHaveLength(1_600);
  });

  it('adds and removes group members and values of other attributes idempotently, in the order of the changes', async () => {
    const members = `OU=Members,${dc.baseDn}`;
    const [ann, ben, cat] = ['Ann', 'Ben', 'Cat'].map((n) => childDn('CN', n, members));
    expect(await ad.apply([ann, ben, cat].map((dn, i) => ({ kind: 'create' as const, dn, changes: userChanges(['ann', 'ben', 'cat'][i]) })))).toEqual(Array(3).fill({ status: 'succeeded' }));
    const team = childDn('CN', 'Team', members);
    const update = (...changes: ConnectorOperation['changes']): ConnectorOperation => ({ kind: 'update', dn: team, changes });
    expect(await ad.apply([{ kind: 'create', dn: team, objectClasses: ['group'], changes: [{ attribute: 'sAMAccountName', values: ['team'] }, { attribute: 'member', mode: 'add', values: [ann] }] }])).toEqual([{ status: 'succeeded' }]);
    const lower = (dns: string[]) => dns.map((d) => d.toLowerCase()).sort();

    expect(await ad.apply([update({ attribute: 'member', mode: 'add', values: [ann, ben] })])).toEqual([{ status: 'succeeded', message: 'member: 1 of 2 already there' }]);
    expect(await ad.apply([update({ attribute: 'member', mode: 'add', values: [ann, ben] })])).toEqual([{ status: 'succeeded', message: 'member: 2 of 2 already there' }]);
    expect(lower(await ad.readAllValues(team))).toEqual(lower([ann, ben]));
    // A member that is no object at all is not there either.
    const ghost = childDn('CN', 'Ghost', members);
    expect(await ad.apply([update({ attribute: 'member', mode: 'remove', values: [ann, cat, ghost] })])).toEqual([{ status: 'succeeded', message: 'member: 2 of 3 not there' }]);
    expect(await ad.apply([update({ attribute: 'member', mode: 'remove', values: [ann, cat, ghost] })])).toEqual([{ status: 'succeeded', message: 'member: 3 of 3 not there' }]);
    expect(lower(await ad.readAllValues(team))).toEqual(lower([ben]));
    // Adding a member that does not exist is refused with AD's reason, not taken for a missing group.
    expect(await ad.apply([update({ attribute: 'member', mode: 'add', values: [ghost] })])).toEqual([{ status: 'failed', message: expect.stringMatching(/noSuchObject|doesn't exist/i) }]);

    expect(
      await ad.apply([
        update({ attribute: 'member', mode: 'add', values: [cat] }, { attribute: 'member', mode: 'remove', values: [ben, cat] }, { attribute: 'member', mode: 'add', values: [ann] }),
        { kind: 'update', dn: ann, changes: [{ attribute: 'otherTelephone', mode: 'add', values: ['1', '2'] }, { attribute: 'otherTelephone', mode: 'remove', values: ['1', '3'] }, { attribute: 'title', mode: 'add', values: ['Lead'] }] },
      ]),
    ).toEqual([expect.objectContaining({ status: 'succeeded' }), expect.objectContaining({ status: 'succeeded' })]);
    expect(lower(await ad.readAllValues(team))).toEqual(lower([ann]));
    expect(await ad.readAllValues(ann, 'otherTelephone')).toEqual(['2']);
    // title holds one value: adding the same one again is done, adding another is AD's refusal.
    expect(await ad.apply([{ kind: 'update', dn: ann, changes: [{ attribute: 'title', mode: 'add', values: ['Lead'] }] }])).toEqual([{ status: 'succeeded', message: 'title: 1 of 1 already there' }]);
    expect(await ad.apply([{ kind: 'update', dn: ann, changes: [{ attribute: 'title', mode: 'add', values: ['Boss'] }] }])).toEqual([{ status: 'failed', message: expect.stringMatching(/SINGLE-VALUE|attributeOrValueExists/) }]);
    expect(await ad.apply([{ kind: 'update', dn: ann, changes: [{ attribute: 'enabled', mode: 'add', values: ['true'] }] }])).toEqual([{ status: 'failed', message: '"enabled" is set with replace; it cannot be added to' }]);
  });

  it('adds and removes members of a group past 1,500 members, counting those already there or not there', async () => {
    const members = `OU=Members,${dc.baseDn}`;
    const contacts = Array.from({ length: 1_530 }, (_, i) => childDn('CN', `contact-${String(i).padStart(4, '0')}`, members));
    await admin(async (c) => {
      const queue = [...contacts];
      await Promise.all(Array.from({ length: 8 }, async () => {
        for (let dn = queue.shift(); dn; dn = queue.shift()) await c.add(dn, { objectClass: 'contact' });
      }));
    });
    const big = childDn('CN', 'Big', members);
    const inside = contacts.slice(0, 1_520);
    const outside = contacts.slice(1_520);
    expect(await ad.apply([{ kind: 'create', dn: big, objectClasses: ['group'], changes: [{ attribute: 'sAMAccountName', values: ['big'] }, { attribute: 'member', values: inside }] }])).toEqual([{ status: 'succeeded' }]);
    const update = (mode: 'add' | 'remove', values: string[]): ConnectorOperation => ({ kind: 'update', dn: big, changes: [{ attribute: 'member', mode, values }] });

    // Members at the end of the list (past the first range) and new ones together.
    const added = [...inside.slice(1_510), ...outside.slice(0, 5)];
    expect(await ad.apply([update('add', added)])).toEqual([{ status: 'succeeded', message: 'member: 10 of 15 already there' }]);
    expect(await ad.apply([update('add', added)])).toEqual([{ status: 'succeeded', message: 'member: 15 of 15 already there' }]);
    expect(await ad.readAllValues(big)).toHaveLength(1_525);
    const removed = [...inside.slice(1_515), ...outside];
    expect(await ad.apply([update('remove', removed)])).toEqual([{ status: 'succeeded', message: 'member: 5 of 15 not there' }]);
    expect(await ad.apply([update('remove', removed)])).toEqual([{ status: 'succeeded', message: 'member: 15 of 15 not there' }]);
    const lower = (dns: string[]) => dns.map((d) => d.toLowerCase()).sort();
    expect(lower(await ad.readAllValues(big))).toEqual(lower(inside.slice(0, 1_515)));
  });

  it('reads only what changed after a uSNChanged watermark', async () => {
    const delta = `OU=Delta,${dc.baseDn}`;
    const reader = connector({ searchBase: delta });
    const [frank, gina, hugo] = ['Frank', 'Gina', 'Hugo'].map((n) => childDn('CN', n, delta));
    expect(await ad.apply([frank, gina].map((dn, i) => ({ kind: 'create' as const, dn, changes: userChanges(['frank', 'gina'][i]) })))).toEqual([{ status: 'succeeded' }, { status: 'succeeded' }]);

    const first = await changes(reader, undefined);
    expect(first.objects.map((o) => o.key).sort()).toEqual([frank, gina]);

    expect(await ad.apply([
      { kind: 'update', dn: gina, changes: [{ attribute: 'title', values: ['Lead'] }] },
      { kind: 'create', dn: hugo, changes: userChanges('hugo') },
    ])).toEqual([{ status: 'succeeded' }, { status: 'succeeded' }]);

    const second = await changes(reader, first.watermark);
    expect(second.objects.map((o) => o.key).sort()).toEqual([gina, hugo]);
    expect(second.objects.find((o) => o.key === gina)?.attributes.title).toEqual(['Lead']);
    expect(BigInt(second.watermark)).toBeGreaterThan(BigInt(first.watermark));

    // Nothing changed: no object, and the watermark is still known.
    const third = await changes(reader, second.watermark);
    expect(third).toEqual({ objects: [], watermark: second.watermark, pages: 1 });
    await expect(changes(reader, 'yesterday')).rejects.toMatchObject({ code: 'CONNECTOR.CONFIG' });
    await reader.close();
  });
});

/** Every page of a change read, flattened; the watermark is the last page's. */
async function changes(c: ActiveDirectoryConnector, since: string | undefined): Promise<{ objects: ConnectorObject[]; watermark: string; pages: number }> {
  const objects: ConnectorObject[] = [];
  let watermark = '';
  let pages = 0;
  for await (const page of c.readChanges(since, { objectType: 'user' })) {
    objects.push(...page.objects);
    watermark = page.watermark;
    pages++;
  }
  return { objects, watermark, pages };
}
