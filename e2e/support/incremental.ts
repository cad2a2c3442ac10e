import type { GatewayClient, RunJson } from '@idsync/client';
import { createTestDatabase } from '@idsync/testing';
import { Client as LdapClient } from 'ldapts';
import { Client } from 'pg';
import { employees, expectApiError, jobBody } from './slice';
import { addEntries, people, type Directory } from './scenario';

async function start(api: GatewayClient, jobId: string, mode: 'complete' | 'incremental'): Promise<RunJson> {
  const started = await api.post<RunJson>(`/api/jobs/${jobId}/runs`, { mode });
  return api.waitForRun(started.id);
}

/**
 * Incremental runs through the REST API: an HR table in PostgreSQL with an `updated_at`
 * watermark column as the source, OpenLDAP as the destination. Checks that a run reads only what
 * changed, never deletes, moves the job's watermark only when nothing failed (so a failed change
 * is read again, not lost), and that a complete run still finds deleted people.
 */
export async function incrementalScenario(operator: GatewayClient, ldap: Directory): Promise<void> {
  const hr = await createTestDatabase('hr');
  const db = new Client({ connectionString: hr.url });
  await db.connect();
  try {
    await db.query(`CREATE TABLE people (
      "employeeId" text PRIMARY KEY, "givenName" text, surname text, email text, department text, title text, "managerId" text, status text,
      updated_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
    for (const e of employees(10, 101)) {
      await db.query('INSERT INTO people VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [e.employeeId, e.givenName, e.surname, e.email, e.department, e.title, e.managerId, e.status]);
    }
    const touch = (sql: string, params: unknown[] = []) => db.query(sql.replace('SET ', 'SET updated_at = clock_timestamp(), '), params);

    const source = await operator.post<{ id: string }>('/api/connections', {
      name: 'HR table', kind: 'sql', settings: { table: 'people', keyColumn: 'employeeId', watermarkColumn: 'updated_at' }, secrets: { url: hr.url },
    });
    // A subtree of its own, so the complete run at the end does not see the slice's people.
    const hrDir = { ...ldap, baseDn: `ou=hr,${ldap.baseDn}` };
    await addEntries(ldap, [hrDir.baseDn, `ou=people,${hrDir.baseDn}`].map((dn) => [dn, { objectClass: ['organizationalUnit'], ou: [dn.split(',')[0].slice(3)] }]));
    const dest = await operator.post<{ id: string }>('/api/connections', {
      name: 'OpenLDAP (incremental)', kind: 'ldap', settings: { url: ldap.url, bindDn: ldap.bindDn, baseDn: hrDir.baseDn }, secrets: { password: ldap.password },
    });
    const job = await operator.post<{ id: string }>('/api/jobs', jobBody(source.id, dest.id, { name: 'HR table to OpenLDAP' }));
    const inDirectory = () => people(hrDir);

    // The first incremental run has no watermark yet: it reads every row and creates everyone.
    const first = await start(operator, job.id, 'incremental');
    expect(first).toMatchObject({ state: 'RUN_STATE_COMPLETED', mode: 'RUN_MODE_INCREMENTAL', since: '' });
    expect(first.counters).toMatchObject({ read: 10, created: 10, failed: 0 });
    expect(first.watermark).not.toBe('');
    expect((await inDirectory()).size).toBe(10);

    // Two changed rows and one deleted row: only the two are read; nothing is deleted.
    await touch(`UPDATE people SET title = 'Architect' WHERE "employeeId" IN ('E00101', 'E00102')`);
    await db.query(`DELETE FROM people WHERE "employeeId" = 'E00110'`);
    const second = await start(operator, job.id, 'incremental');
    expect(second).toMatchObject({ state: 'RUN_STATE_COMPLETED', since: first.watermark });
    expect(second.counters).toMatchObject({ read: 2, created: 0, updated: 2, deleted: 0, failed: 0 });
    let dir = await inDirectory();
    expect(dir.size).toBe(10);
    expect([dir.get('E00101')!.title, dir.get('E00102')!.title, dir.get('E00103')!.title]).toEqual(['Architect', 'Architect', 'Engineer']);

    // Nothing changed: an empty read is a run with nothing to do, not an empty source that stops the run.
    const quiet = await start(operator, job.id, 'incremental');
    expect(quiet).toMatchObject({ state: 'RUN_STATE_COMPLETED', since: second.watermark, watermark: second.watermark });
    expect(quiet.counters).toMatchObject({ read: 0, created: 0, updated: 0, deleted: 0, unchanged: 0 });

    // A change the directory refuses (mail is ASCII only): the run completes with a failure and the
    // watermark stays, so the next run reads that change again instead of losing it.
    await touch(`UPDATE people SET email = 'zoë@example.org' WHERE "employeeId" = 'E00103'`);
    const refused = await start(operator, job.id, 'incremental');
    expect(refused.counters).toMatchObject({ read: 1, updated: 0, failed: 1 });
    const again = await start(operator, job.id, 'incremental');
    expect(again.since).toBe(second.watermark);
    expect(again.counters).toMatchObject({ read: 1, failed: 1 });
    const log = await operator.get<{ entries: { message: string }[] }>(`/api/runs/${again.id}/log`);
    expect(log.entries.map((e) => e.message)).toContainEqual(expect.stringMatching(/watermark kept/));
    await touch(`UPDATE people SET email = 'zoe@example.org', title = 'Lead' WHERE "employeeId" = 'E00103'`);
    const mended = await start(operator, job.id, 'incremental');
    expect(mended.counters).toMatchObject({ read: 1, updated: 1, failed: 0 });
    expect((await start(operator, job.id, 'incremental')).counters).toMatchObject({ read: 0 });
    dir = await inDirectory();
    expect(dir.get('E00103')).toMatchObject({ mail: 'zoe@example.org', title: 'Lead' });

    // A complete run reads every row, so it finds the deleted one.
    const complete = await start(operator, job.id, 'complete');
    expect(complete).toMatchObject({ state: 'RUN_STATE_COMPLETED', mode: 'RUN_MODE_COMPLETE' });
    expect(complete.counters).toMatchObject({ read: 9, deleted: 1, failed: 0 });
    expect((await inDirectory()).has('E00110')).toBe(false);

    // A surname changes and uid is no longer create-only: the entry is renamed in place (same entryUUID),
    // never deleted and created, and history finds it by either DN.
    const jobNow = await operator.get<{ mappings: { target: string; onCreateOnly?: boolean }[] }>(`/api/jobs/${job.id}`);
    await operator.put(`/api/jobs/${job.id}`, { ...jobNow, mappings: jobNow.mappings.map((m) => ({ ...m, onCreateOnly: false })) });
    const before = await anchors(hrDir);
    await touch(`UPDATE people SET surname = 'Byron101' WHERE "employeeId" = 'E00101'`);
    const renamed = await start(operator, job.id, 'incremental');
    expect(renamed.counters).toMatchObject({ read: 1, renamed: 1, created: 0, deleted: 0, failed: 0 });
    const after = await anchors(hrDir);
    const oldDn = [...before.keys()].find((k) => k.startsWith('uid=ada.lovelace101,'))!;
    const newDn = `uid=ada.byron101,ou=people,${hrDir.baseDn}`;
    expect(after.has(oldDn)).toBe(false);
    expect(after.get(newDn)).toBe(before.get(oldDn));
    expect((await inDirectory()).get('E00101')).toMatchObject({ sn: 'Byron101', cn: 'Ada Byron101' });
    const trail = await operator.get<{ changes: { kind: string; dn: string; newDn: string }[] }>(`/api/history?object=${encodeURIComponent(newDn)}`);
    expect(trail.changes.at(-1)).toMatchObject({ kind: 'OPERATION_KIND_RENAME', dn: oldDn, newDn });
    // Next time the object is found by its link, at its new DN: nothing to do.
    expect((await start(operator, job.id, 'complete')).counters).toMatchObject({ renamed: 0, updated: 0, created: 0, deleted: 0, failed: 0 });

    // An object left out for a problem (checks on "skip") did not fail, but is not lost either: the
    // watermark stays until its change is applied.
    const current = await operator.get<Record<string, unknown>>(`/api/jobs/${job.id}`);
    await operator.put(`/api/jobs/${job.id}`, { ...current, checks: { onError: 'skip', requiredTargets: ['title'] } });
    await touch(`UPDATE people SET title = NULL WHERE "employeeId" = 'E00104'`);
    const skipped = await start(operator, job.id, 'incremental');
    expect(skipped).toMatchObject({ state: 'RUN_STATE_COMPLETED' });
    expect(skipped.counters).toMatchObject({ read: 1, updated: 0, failed: 0 });
    const again2 = await start(operator, job.id, 'incremental');
    expect(again2.since).toBe(skipped.since);
    expect(again2.counters).toMatchObject({ read: 1 });
    await touch(`UPDATE people SET title = 'Fixed' WHERE "employeeId" = 'E00104'`);
    expect((await start(operator, job.id, 'incremental')).counters).toMatchObject({ read: 1, updated: 1, failed: 0 });
    expect((await start(operator, job.id, 'incremental')).counters).toMatchObject({ read: 0 });

    // A manager hired by one incremental run is known to the next: the link made by the create carries the
    // new entry's anchor at once, so a reference to her resolves although she is not among the changes.
    const withManager = await operator.get<{ mappings: object[] }>(`/api/jobs/${job.id}`);
    await operator.put(`/api/jobs/${job.id}`, { ...withManager, mappings: [...withManager.mappings, { target: 'manager', expression: '[managerId]', reference: true }] });
    await db.query(`INSERT INTO people VALUES ('E00111', 'Grace', 'Hopper111', 'grace.hopper111@example.org', 'Engineering', 'Director', '', 'active')`);
    expect((await start(operator, job.id, 'incremental')).counters).toMatchObject({ read: 1, created: 1, failed: 0 });
    await touch(`UPDATE people SET "managerId" = 'E00111' WHERE "employeeId" = 'E00104'`);
    const managed = await start(operator, job.id, 'incremental');
    expect(managed.counters).toMatchObject({ read: 1, updated: 1, failed: 0 });
    dir = await inDirectory();
    expect(dir.get('E00104')!.manager).toBe(dir.get('E00111')!.dn);

    // A source that cannot read changes says so, naming the connection; a wrong mode is refused.
    const csvJob = await operator.post<{ id: string }>('/api/jobs', jobBody((await operator.post<{ id: string }>('/api/connections', { name: 'CSV', kind: 'csv', settings: { path: '/nonexistent.csv' } })).id, dest.id, { name: 'CSV job' }));
    await expectApiError(operator.post(`/api/jobs/${csvJob.id}/runs`, { mode: 'sometimes' }), 400, 'RUN.INVALID_MODE');
    const csvRun = await start(operator, csvJob.id, 'incremental');
    expect(csvRun.state).toBe('RUN_STATE_FAILED');
    expect(csvRun.error).toMatchObject({ code: 'CONNECTOR.NOT_INCREMENTAL' });
    expect(csvRun.reason).toMatch(/cannot read changes/);
  } finally {
    await db.end();
    await hr.drop();
  }
}

/** DN → entryUUID of the people under a directory's ou=people. */
async function anchors(d: Directory): Promise<Map<string, string>> {
  const c = new LdapClient({ url: d.url });
  try {
    await c.bind(d.bindDn, d.password);
    const { searchEntries } = await c.search(`ou=people,${d.baseDn}`, { scope: 'one', filter: '(objectClass=inetOrgPerson)', attributes: ['entryUUID'] });
    return new Map(searchEntries.map((e) => [e.dn, String(e.entryUUID)]));
  } finally {
    await c.unbind();
  }
}
