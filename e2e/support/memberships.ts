import type { GatewayClient, RunJson } from '@idsync/client';
import { Client } from 'ldapts';
import { join } from 'node:path';
import { employees, jobBody, writeCsv } from './slice';
import { addEntries, people, type Directory } from './scenario';

/**
 * Group memberships derived from the HR department, through the REST API against OpenLDAP: a
 * group per department, created when missing; a mover changes groups, a leaver leaves them,
 * members the job does not manage stay, and a new person who joins a new department gets both
 * created in one run, the person first. A manager reference mapping (managerId → manager) gives
 * each person the DN of a manager created in the same run.
 */
export async function membershipScenario(operator: GatewayClient, ldap: Directory, dir: string): Promise<void> {
  const org = { ...ldap, baseDn: `ou=org2,${ldap.baseDn}` };
  const outsider = `cn=auditor,${ldap.baseDn}`;
  await addEntries(ldap, [
    [org.baseDn, { objectClass: ['organizationalUnit'], ou: ['org2'] }],
    [`ou=people,${org.baseDn}`, { objectClass: ['organizationalUnit'], ou: ['people'] }],
    [`ou=groups,${org.baseDn}`, { objectClass: ['organizationalUnit'], ou: ['groups'] }],
    // An existing group with a member idsync does not manage: it must stay.
    [`cn=Finance,ou=groups,${org.baseDn}`, { objectClass: ['groupOfNames'], cn: ['Finance'], member: [outsider] }],
  ]);
  const csv = join(dir, 'org2.csv');
  // E00202 (created in this run) manages everyone else but E00206, whose manager E00204 is new too.
  let staff = employees(6, 201).map((e) => ({ ...e, managerId: e.employeeId === 'E00202' ? '' : e.employeeId === 'E00206' ? 'E00204' : 'E00202' }));
  await writeCsv(csv, staff);
  const source = await operator.post<{ id: string }>('/api/connections', { name: 'HR org2', kind: 'csv', settings: { path: csv } });
  const dest = await operator.post<{ id: string }>('/api/connections', {
    name: 'OpenLDAP org2', kind: 'ldap', settings: { url: ldap.url, bindDn: ldap.bindDn, baseDn: org.baseDn }, secrets: { password: ldap.password },
  });
  const job = await operator.post<{ id: string }>('/api/jobs', jobBody(source.id, dest.id, {
    name: 'HR org2 with department groups',
    memberships: [{ sourceAttribute: 'department', groupDnTemplate: 'cn={value},ou=groups' }],
    mappings: [...jobBody('', '').mappings, { target: 'manager', expression: '[managerId]', reference: true }],
  }));
  const dnOf = async () => new Map([...(await people(org))].map(([id, e]) => [id, String(e.dn).toLowerCase()]));
  const run = async () => operator.waitForRun((await operator.post<RunJson>(`/api/jobs/${job.id}/runs`)).id);

  const first = await run();
  expect(first).toMatchObject({ state: 'RUN_STATE_COMPLETED' });
  expect(first.counters).toMatchObject({ created: 7, failed: 0 }); // six people and the Engineering group
  let dns = await dnOf();
  const inDepartment = (d: string, list = staff) => list.filter((e) => e.department === d).map((e) => dns.get(e.employeeId)!).sort();
  expect(await members(org, 'Engineering')).toEqual(inDepartment('Engineering'));
  expect(await members(org, 'Finance')).toEqual([outsider, ...inDepartment('Finance')].sort());
  // Every manager DN is that of a person created in the same run (set by an update once both exist).
  const managers = new Map([...(await people(org))].map(([id, e]) => [id, e.manager === undefined ? '' : String(e.manager).toLowerCase()]));
  expect(Object.fromEntries(managers)).toEqual(Object.fromEntries(staff.map((e) => [e.employeeId, e.managerId ? dns.get(e.managerId)! : ''])));
  expect(managers.get('E00203')).toBe(`uid=emile.noel202,ou=people,${org.baseDn}`.toLowerCase());
  const log = await operator.get<{ entries: { message: string }[] }>(`/api/runs/${first.id}/log`);
  expect(log.entries.map((e) => e.message)).toContainEqual(expect.stringMatching(/groups: 1 to create, \d+ members to add, 0 to remove/));

  // A mover, a leaver, and a newcomer in a department that has no group yet.
  const mover = staff.find((e) => e.department === 'Engineering')!;
  const leaver = staff.find((e) => e.department === 'Finance')!;
  const [newcomer] = employees(1, 301).map((e) => ({ ...e, department: 'Sales', managerId: 'E00202' }));
  staff = [...staff.filter((e) => e !== leaver).map((e) => (e === mover ? { ...e, department: 'Finance' } : e)), newcomer];
  await writeCsv(csv, staff);
  const second = await run();
  expect(second.counters).toMatchObject({ created: 2, deleted: 1, failed: 0 }); // the newcomer and the Sales group
  dns = await dnOf();
  expect(await members(org, 'Engineering')).toEqual(inDepartment('Engineering'));
  expect(await members(org, 'Finance')).toEqual([outsider, ...inDepartment('Finance')].sort());
  expect(await members(org, 'Sales')).toEqual([dns.get(newcomer.employeeId)!]);

  // The group that names the newcomer was created only after the newcomer: phases apply in order.
  const history = await operator.get<{ changes: { kind: string; dn: string; appliedAt: string }[] }>(`/api/history?run=${second.id}&limit=100`);
  const created = (dn: string) => history.changes.find((c) => c.kind === 'OPERATION_KIND_CREATE' && c.dn.toLowerCase() === dn)!.appliedAt;
  expect(created(`cn=sales,ou=groups,${org.baseDn}`.toLowerCase()) > created(dns.get(newcomer.employeeId)!)).toBe(true);

  // A newcomer the directory refuses (mail is ASCII only) does not join the group either: a later phase
  // never names an object whose create failed.
  const [refused] = employees(1, 302).map((e) => ({ ...e, department: 'Finance', email: 'zoë@example.org', managerId: '' }));
  await writeCsv(csv, [...staff, refused]);
  const third = await run();
  expect(third.counters).toMatchObject({ created: 0, failed: 1 });
  expect(await members(org, 'Finance')).toEqual([outsider, ...inDepartment('Finance')].sort());

  // Both engineers leaving would empty the Engineering groupOfNames, which the directory refuses: the plan
  // says so and nothing is written.
  const engineers = staff.filter((e) => e.department === 'Engineering');
  expect(engineers).toHaveLength(2);
  await writeCsv(csv, staff.map((e) => (engineers.includes(e) ? { ...e, department: 'Sales' } : e)));
  const emptied = await run();
  expect(emptied.state).toBe('RUN_STATE_FAILED');
  expect(emptied.error).toMatchObject({ code: 'PLAN.GROUP_WOULD_BE_EMPTY' });
  expect(await members(org, 'Engineering')).toEqual(inDepartment('Engineering'));

  // The link guards count memberships: two people leaving Finance for Sales is two link deletes, over a
  // limit of one, so the run stops before writing anything.
  const spec = await operator.get<Record<string, unknown>>(`/api/jobs/${job.id}`);
  await operator.put(`/api/jobs/${job.id}`, { ...spec, thresholds: { ...(spec.thresholds as object), maxLinkDeletes: 1 } });
  const leaving = staff.filter((e) => e.department === 'Finance').slice(0, 2);
  await writeCsv(csv, staff.map((e) => (leaving.includes(e) ? { ...e, department: 'Sales' } : e)));
  const blocked = await run();
  expect(blocked.state).toBe('RUN_STATE_AWAITING_REVIEW');
  expect(blocked.reason).toMatch(/2 link deletes exceed max_link_deletes 1/);
  expect(await members(org, 'Finance')).toEqual([outsider, ...inDepartment('Finance')].sort());
}

async function members(d: Directory, group: string): Promise<string[]> {
  const c = new Client({ url: d.url });
  try {
    await c.bind(d.bindDn, d.password);
    const { searchEntries } = await c.search(`cn=${group},ou=groups,${d.baseDn}`, { scope: 'base', attributes: ['member'] });
    return [searchEntries[0]?.member ?? []].flat().map((m) => String(m).toLowerCase()).sort();
  } finally {
    await c.unbind();
  }
}
