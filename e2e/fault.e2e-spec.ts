import { type RunJson } from '@idsync/client';
import { waitFor } from '@idsync/testing';
import { join } from 'node:path';
import { people } from './support/scenario';
import { employees, jobBody, writeCsv } from './support/slice';
import { startSystem, type RunningSystem } from './support/system';

jest.setTimeout(600_000);
const USERS = 3000;

describe('fault: synchronization is killed in the middle of a run', () => {
  let s: RunningSystem;

  beforeAll(async () => {
    s = await startSystem('fault', { ACK_WAIT_MS: '4000', GATEWAY_TOKENS: 'admin:admin:admin-token-1' });
  });
  afterAll(() => s?.stop());

  it(`completes, with each of ${USERS} users in LDAP exactly once and each change in history once`, async () => {
    const { system, ldap, dir } = s;
    const api = s.api('admin-token-1');
    const csv = join(dir, 'employees.csv');
    await writeCsv(csv, employees(USERS));
    const source = await api.post<{ id: string }>('/api/connections', { name: 'HR', kind: 'csv', settings: { path: csv } });
    const dest = await api.post<{ id: string }>('/api/connections', {
      name: 'LDAP', kind: 'ldap', settings: { url: ldap.url, bindDn: ldap.bindDn, baseDn: ldap.baseDn }, secrets: { password: ldap.password },
    });
    const job = await api.post<{ id: string }>('/api/jobs', jobBody(source.id, dest.id, { thresholds: { maxCreates: USERS } }));
    const started = await api.post<RunJson>(`/api/jobs/${job.id}/runs`);

    await waitFor(async () => (await api.get<RunJson>(`/api/runs/${started.id}`)).counters.created > 0, 120000, 'the first results');
    system.kill('synchronization');
    const createdAtKill = (await api.get<RunJson>(`/api/runs/${started.id}`)).counters.created;
    expect(createdAtKill).toBeLessThan(USERS);
    await new Promise((r) => setTimeout(r, 1500));
    system.start('synchronization');

    const done = await api.waitForRun(started.id, 240000);
    expect(done.state).toBe('RUN_STATE_COMPLETED');
    expect(done.counters).toMatchObject({ created: USERS, failed: 0 });

    const dirNow = await people(ldap);
    expect(dirNow.size).toBe(USERS);
    // history follows the events: it catches up after the run is reported complete
    const total = () => api.get<{ total: number }>(`/api/history?run=${started.id}&limit=1`).then((h) => h.total);
    await waitFor(async () => (await total()) >= USERS, 60000, 'history to catch up');
    await new Promise((r) => setTimeout(r, 2000));
    expect(await total()).toBe(USERS);
    const dns = new Set<string>();
    for (let offset = 0; offset < USERS; offset += 200) {
      const page = await api.get<{ changes: { dn: string }[] }>(`/api/history?run=${started.id}&offset=${offset}&limit=200`);
      page.changes.forEach((c) => dns.add(c.dn));
    }
    expect(dns.size).toBe(USERS);
  });
});
