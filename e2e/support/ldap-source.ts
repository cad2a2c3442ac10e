import type { GatewayClient, RunJson } from '@idsync/client';
import { startSlapd } from '@idsync/testing';
import { Attribute, Change, Client } from 'ldapts';
import { addEntries, people, type Directory } from './scenario';

async function start(api: GatewayClient, jobId: string, mode: 'complete' | 'incremental'): Promise<RunJson> {
  const started = await api.post<RunJson>(`/api/jobs/${jobId}/runs`, { mode });
  return api.waitForRun(started.id);
}

async function logOf(api: GatewayClient, runId: string): Promise<string[]> {
  return (await api.get<{ entries: { message: string }[] }>(`/api/runs/${runId}/log`)).entries.map((e) => e.message);
}

/** Runs LDAP operations against a directory as its admin. */
async function withLdap(d: Directory, act: (c: Client) => Promise<void>): Promise<void> {
  const c = new Client({ url: d.url });
  try {
    await c.bind(d.bindDn, d.password);
    await act(c);
  } finally {
    await c.unbind();
  }
}

const person = (uid: string, n: number): Record<string, string[]> => ({
  objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
  uid: [uid], cn: [`Person ${n}`], sn: [`Person${n}`], employeeNumber: [`L${n}`], title: ['Engineer'],
});

/**
 * An LDAP source whose deletions an incremental run acts on: a second slapd keeps a syncprov
 * session log, so RFC 4533 content sync reports deleted entries by entryUUID; the run maps them
 * to source keys through the anchors kept from earlier runs and deletes the people they were
 * linked to, within the job's guards. The destination is an OU of its own in the system's slapd.
 */
export async function ldapSourceScenario(operator: GatewayClient, ldap: Directory): Promise<void> {
  const source = await startSlapd({ syncprov: { sessionlog: 10000 } });
  try {
    const dn = (uid: string) => `uid=${uid},ou=people,${source.baseDn}`;
    await addEntries(source, [1, 2, 3, 4].map((n) => [dn(`ls${n}`), person(`ls${n}`, n)]));

    const dest = { ...ldap, baseDn: `ou=ldapsource,${ldap.baseDn}` };
    await addEntries(ldap, [dest.baseDn, `ou=people,${dest.baseDn}`].map((d) => [d, { objectClass: ['organizationalUnit'], ou: [d.split(',')[0].slice(3)] }]));
    const src = await operator.post<{ id: string }>('/api/connections', {
      name: 'Source directory', kind: 'ldap', settings: { url: source.url, bindDn: source.bindDn, baseDn: source.baseDn }, secrets: { password: source.password },
    });
    const dst = await operator.post<{ id: string }>('/api/connections', {
      name: 'OpenLDAP (from a directory)', kind: 'ldap', settings: { url: ldap.url, bindDn: ldap.bindDn, baseDn: dest.baseDn }, secrets: { password: ldap.password },
    });
    const job = await operator.post<{ id: string }>('/api/jobs', {
      name: 'Directory to directory',
      objectType: 'user',
      sourceConnectionId: src.id,
      destinationConnectionId: dst.id,
      sourceKey: 'uid',
      matching: [
        { sourceAttribute: 'uid', destinationAttribute: 'uid', priority: 1 },
        { sourceAttribute: 'employeeNumber', destinationAttribute: 'employeeNumber', priority: 2 },
      ],
      mappings: [
        { target: 'uid', expression: '[uid]', onCreateOnly: true },
        { target: 'cn', expression: '[cn]' },
        { target: 'sn', expression: '[sn]' },
        { target: 'title', expression: '[title]' },
        { target: 'employeeNumber', expression: '[employeeNumber]' },
      ],
      dnTemplate: 'uid={uid},ou=people',
      objectClasses: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
      deprovision: 'DEPROVISION_ACTION_DELETE',
      thresholds: { maxDeletes: 5, maxDeletePercent: 40 },
      notify: [],
      requiresApproval: false,
    });
    const inDirectory = () => people(dest);

    const complete = await start(operator, job.id, 'complete');
    expect(complete).toMatchObject({ state: 'RUN_STATE_COMPLETED' });
    expect(complete.counters).toMatchObject({ read: 4, created: 4, failed: 0 });
    // The first incremental run has no watermark yet: it reads everyone, and from then on only what changes.
    const first = await start(operator, job.id, 'incremental');
    expect(first).toMatchObject({ state: 'RUN_STATE_COMPLETED', since: '' });
    expect(first.counters).toMatchObject({ read: 4, created: 0, updated: 0, deleted: 0, failed: 0 });
    expect(first.watermark).not.toBe('');

    // A leaver, a change and a joiner.
    await withLdap(source, async (c) => {
      await c.del(dn('ls4'));
      await c.modify(dn('ls2'), [new Change({ operation: 'replace', modification: new Attribute({ type: 'title', values: ['Architect'] }) })]);
    });
    await addEntries(source, [[dn('ls5'), person('ls5', 5)]]);
    const leaver = await start(operator, job.id, 'incremental');
    expect(leaver).toMatchObject({ state: 'RUN_STATE_COMPLETED', since: first.watermark });
    expect(leaver.counters).toMatchObject({ read: 2, created: 1, updated: 1, deleted: 1, failed: 0 });
    let dir = await inDirectory();
    expect([...dir.keys()].sort()).toEqual(['L1', 'L2', 'L3', 'L5']);
    expect(dir.get('L2')).toMatchObject({ title: 'Architect' });
    const log = await logOf(operator, leaver.id);
    expect(log).toContainEqual(expect.stringMatching(/source changes read: 2 objects; 1 deletion\(s\) reported/));
    expect(log).toContainEqual(expect.stringMatching(/^1 of 1 source deletion\(s\) matched to linked objects/));

    // Nothing changed since: nothing to do.
    const quiet = await start(operator, job.id, 'incremental');
    expect(quiet.counters).toMatchObject({ read: 0, created: 0, updated: 0, deleted: 0, failed: 0 });

    // A person created by the last run, whose link no run has read an anchor for yet, leaves too.
    await withLdap(source, (c) => c.del(dn('ls5')));
    const joinerLeft = await start(operator, job.id, 'incremental');
    expect(joinerLeft.counters).toMatchObject({ read: 0, deleted: 1, failed: 0 });
    dir = await inDirectory();
    expect([...dir.keys()].sort()).toEqual(['L1', 'L2', 'L3']);

    // A deletion over the guard stops for review, as in a complete run, and nothing is written.
    const current = await operator.get<Record<string, unknown>>(`/api/jobs/${job.id}`);
    await operator.put(`/api/jobs/${job.id}`, { ...current, thresholds: { maxDeletes: 0 } });
    await withLdap(source, (c) => c.del(dn('ls1')));
    const blocked = await start(operator, job.id, 'incremental');
    expect(blocked.state).toBe('RUN_STATE_AWAITING_REVIEW');
    expect(blocked.reason).toMatch(/max_deletes/);
    expect((await inDirectory()).has('L1')).toBe(true);
  } finally {
    await source.stop();
  }
}
