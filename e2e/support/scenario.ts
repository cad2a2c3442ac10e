import type { GatewayClient, RunJson } from '@idsync/client';
import { waitFor, type TestSmtp } from '@idsync/testing';
import { Attribute, Change, Client } from 'ldapts';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { employees, expectApiError, jobBody, run, writeCsv } from './slice';

export interface Directory {
  url: string;
  bindDn: string;
  password: string;
  baseDn: string;
}

export interface SliceContext {
  operator: GatewayClient;
  approver: GatewayClient;
  dir: string;
  ldap: Directory;
  smtp: TestSmtp;
}

/** The people in the directory, by searching it (not by asking idsync). */
export async function people(d: Directory): Promise<Map<string, Record<string, string | string[]>>> {
  const c = new Client({ url: d.url });
  try {
    await c.bind(d.bindDn, d.password);
    const { searchEntries } = await c.search(`ou=people,${d.baseDn}`, { scope: 'one', filter: '(objectClass=inetOrgPerson)', paged: { pageSize: 500 } });
    return new Map(searchEntries.map((e) => [String(e.employeeNumber), e as unknown as Record<string, string | string[]>]));
  } finally {
    await c.unbind();
  }
}

/** Adds entries (DN, attributes) to a directory, in order. */
export async function addEntries(d: Directory, entries: [string, Record<string, string[]>][]): Promise<void> {
  const c = new Client({ url: d.url });
  try {
    await c.bind(d.bindDn, d.password);
    for (const [dn, attributes] of entries) await c.add(dn, Object.entries(attributes).map(([type, values]) => new Attribute({ type, values })));
  } finally {
    await c.unbind();
  }
}

async function modifyEntry(d: Directory, dn: string, attribute: string, value: string): Promise<void> {
  const c = new Client({ url: d.url });
  try {
    await c.bind(d.bindDn, d.password);
    await c.modify(dn, [new Change({ operation: 'replace', modification: new Attribute({ type: attribute, values: [value] }) })]);
  } finally {
    await c.unbind();
  }
}

/**
 * The vertical slice, as a platform engineer would drive it through the REST API: steps
 * 1–10 of the foundation issue. Used by the embedded and the distributed e2e tests.
 */
export async function sliceScenario(ctx: SliceContext): Promise<void> {
  const { operator, approver, dir, ldap, smtp } = ctx;
  const csv = join(dir, 'employees.csv');
  let staff = employees(20);
  await writeCsv(csv, staff);

  // 1. connections; the LDAP password is never returned
  const source = await operator.post<{ id: string }>('/api/connections', { name: 'HR CSV', kind: 'csv', settings: { path: csv } });
  const dest = await operator.post<{ id: string; secretsSet: string[]; settings: Record<string, string> }>('/api/connections', {
    name: 'OpenLDAP', kind: 'ldap', settings: { url: ldap.url, bindDn: ldap.bindDn, baseDn: ldap.baseDn }, secrets: { password: ldap.password },
  });
  expect(dest.secretsSet).toEqual(['password']);
  expect(JSON.stringify(await operator.get(`/api/connections/${dest.id}`))).not.toContain(ldap.password);
  await expectApiError(operator.post('/api/connections', { name: 'x', kind: 'ldap', settings: { url: ldap.url } }), 400, 'CONNECTION.INVALID');
  // the directory's schema, read through the connection: mail is multi-valued, entryUUID the read-only anchor
  type Discovered = { origin: string; objectTypes: { name: string; anchor: string; attributes: { name: string; multiValued?: boolean; readOnly?: boolean }[] }[] };
  const discovered = await operator.get<Discovered>(`/api/connections/${dest.id}/schema`);
  const directoryUser = discovered.objectTypes.find((t) => t.name === 'user');
  expect(discovered.origin).toBe('SCHEMA_ORIGIN_PEER');
  expect(directoryUser?.anchor).toBe('entryUUID');
  expect(directoryUser?.attributes.find((a) => a.name === 'mail')).toMatchObject({ multiValued: true });
  expect(directoryUser?.attributes.find((a) => a.name === 'entryUUID')).toMatchObject({ readOnly: true });
  await expectApiError(operator.get('/api/connections/00000000-0000-0000-0000-000000000000/schema'), 404, 'CONNECTION.NOT_FOUND');

  // the API describes itself
  const openapi = await operator.get<{ paths: Record<string, unknown> }>('/api/openapi.json');
  expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/api/jobs/{id}/preview', '/api/runs/{id}/resume', '/api/history']));

  // 2. try an expression on a sample object, then the job; a broken expression is refused with its position
  expect(await operator.post('/api/expressions/evaluate', { expression: 'ToLower(NormalizeDiacritics(Join(".", [givenName], [surname])))', input: { givenName: 'Zoë', surname: 'Ångström' } })).toEqual({
    result: 'zoe.angstrom', attributes: ['givenName', 'surname'],
  });
  const syntax = await expectApiError(operator.post('/api/expressions/evaluate', { expression: 'Join(" ", [givenName]' }), 400, 'EXPRESSION.SYNTAX');
  expect(syntax.details.position).toBe('21');
  const bad = await expectApiError(operator.post('/api/jobs', jobBody(source.id, dest.id, { mappings: [{ target: 'cn', expression: 'Join(" ", [givenName]' }] })), 400, 'JOB.INVALID');
  expect(bad.message).toMatch(/cn:/);
  const job = await operator.post<{ id: string; version: number }>('/api/jobs', jobBody(source.id, dest.id));
  expect(job.version).toBe(1);

  // 3. preview: the exact plan, nothing written
  const preview = await run(operator, job.id, true);
  expect(preview.state).toBe('RUN_STATE_PREVIEWED');
  const plan = await operator.get<{ total: number; operations: { kind: string; dn: string; changes: { attribute: string; after: { values: string[] } }[] }[] }>(`/api/runs/${preview.id}/plan?limit=500`);
  expect(plan.total).toBe(20);
  expect(plan.operations.every((o) => o.kind === 'OPERATION_KIND_CREATE')).toBe(true);
  const zoe = plan.operations.find((o) => o.dn.startsWith('uid=zoe.angstrom5,'))!;
  expect(zoe.dn).toBe(`uid=zoe.angstrom5,ou=people,${ldap.baseDn}`);
  expect(zoe.changes.find((c) => c.attribute === 'cn')!.after.values).toEqual(['Zoë Ångström5']);
  expect(zoe.changes.find((c) => c.attribute === 'mail')!.after.values).toEqual(['zoe.angstrom5@example.org']);
  expect((await people(ldap)).size).toBe(0);

  // 4. run: counters, per-object results, the directory holds the people
  const first = await run(operator, job.id);
  const failures = await operator.get<{ results: { status: string; dn: string; message: string }[] }>(`/api/runs/${first.id}/results?limit=5`);
  expect(failures.results.filter((r) => r.status !== 'OPERATION_STATUS_SUCCEEDED')).toEqual([]);
  expect(first.state).toBe('RUN_STATE_COMPLETED');
  expect(first.counters).toMatchObject({ read: 20, created: 20, updated: 0, deleted: 0, failed: 0 });
  const results = await operator.get<{ results: { status: string }[]; total: number }>(`/api/runs/${first.id}/results`);
  expect(results.total).toBe(20);
  expect(results.results.every((r) => r.status === 'OPERATION_STATUS_SUCCEEDED')).toBe(true);
  let dirNow = await people(ldap);
  expect(dirNow.size).toBe(20);
  expect(dirNow.get('E00005')).toMatchObject({ cn: 'Zoë Ångström5', uid: 'zoe.angstrom5', mail: 'zoe.angstrom5@example.org', sn: 'Ångström5' });

  // 5. change the file: only the differences are written
  staff[2] = { ...staff[2], title: 'Architect' };
  staff[3] = { ...staff[3], department: 'Sales' };
  staff = staff.filter((e) => e.employeeId !== 'E00019' && e.employeeId !== 'E00020');
  await writeCsv(csv, staff);
  const second = await run(operator, job.id);
  expect(second.counters).toMatchObject({ read: 18, created: 0, updated: 2, deleted: 2, unchanged: 16, failed: 0 });
  const secondPlan = await operator.get<{ operations: { kind: string; changes: { attribute: string; before: { values: string[] }; after: { values: string[] } }[] }[] }>(`/api/runs/${second.id}/plan`);
  const titleChange = secondPlan.operations.flatMap((o) => o.changes).find((c) => c.attribute === 'title');
  expect(titleChange).toMatchObject({ before: { values: ['Engineer'] }, after: { values: ['Architect'] } });
  dirNow = await people(ldap);
  expect(dirNow.size).toBe(18);
  expect(dirNow.get('E00003')!.title).toBe('Architect');

  // 5b. someone edits the matching attribute in the directory: the stored link still finds the object by its
  // anchor, so it is corrected in place — never deleted and created again
  const ada = [...(await people(ldap)).entries()].find(([k]) => k === 'E00001')!;
  await modifyEntry(ldap, String(ada[1].dn), 'employeeNumber', 'X-EDITED');
  const relinked = await run(operator, job.id);
  expect(relinked.counters).toMatchObject({ created: 0, deleted: 0, updated: 1 });
  const fixed = await people(ldap);
  expect(fixed.size).toBe(18);
  expect(fixed.get('E00001')!.dn).toBe(ada[1].dn);

  // 6. a plan over a threshold stops before writing; resume applies exactly the reviewed plan; cancel writes nothing
  await writeCsv(csv, staff.slice(0, 12));
  const blocked = await run(operator, job.id);
  expect(blocked.state).toBe('RUN_STATE_AWAITING_REVIEW');
  expect(blocked.reason).toMatch(/6 deletes exceed max_deletes 5/);
  expect((await people(ldap)).size).toBe(18);
  const orphans = await approver.get<{ total: number; orphans: { dn: string; anchor: string }[] }>(`/api/runs/${blocked.id}/orphans`);
  expect(orphans.total).toBe(6);
  expect(orphans.orphans.every((o) => o.dn.endsWith(`ou=people,${ldap.baseDn}`) && o.anchor !== '')).toBe(true);
  const orphansCsv = await fetch(`${approver.baseUrl}/api/runs/${blocked.id}/orphans?format=csv`, { headers: { authorization: 'Bearer bob-token-22' } }).then((r) => r.text());
  expect(orphansCsv.trim().split(/\r?\n/)).toHaveLength(7);
  const cancelledRun = await run(operator, job.id);
  expect(cancelledRun.state).toBe('RUN_STATE_AWAITING_REVIEW');
  expect((await approver.post<RunJson>(`/api/runs/${cancelledRun.id}/cancel`, { comment: 'not today' })).state).toBe('RUN_STATE_CANCELLED');
  const resumed = await approver.post<RunJson>(`/api/runs/${blocked.id}/resume`, { comment: 'leavers confirmed by HR' });
  expect(resumed.state).toBe('RUN_STATE_SYNCHRONIZING');
  const afterResume = await approver.waitForRun(blocked.id);
  expect(afterResume).toMatchObject({ state: 'RUN_STATE_COMPLETED', decidedBy: 'bob', counters: expect.objectContaining({ deleted: 6 }) });
  expect((await people(ldap)).size).toBe(12);
  await expectApiError(approver.post(`/api/runs/${blocked.id}/resume`), 409, 'RUN.INVALID_TRANSITION');
  const log = await approver.get<{ entries: { state: string; message: string }[] }>(`/api/runs/${blocked.id}/log`);
  expect(log.entries.map((e) => e.message)).toEqual([
    expect.stringMatching(/^run of Employees to OpenLDAP \(version 1\) requested by alice$/),
    'source snapshot read: 12 objects',
    'destination snapshot read: 18 objects',
    'both snapshots read; preparing the plan',
    'plan: 0 to create, 0 to update, 0 to rename, 6 to delete, 0 to disable, 12 unchanged',
    expect.stringMatching(/^awaiting review: stopped before writing anything: 6 deletes exceed max_deletes 5/),
    'applying the plan: resume by bob: leavers confirmed by HR',
    'completed',
  ]);

  // 7. approval: a denied run never runs; an approved one does; nobody approves their own run
  await operator.put(`/api/jobs/${job.id}`, jobBody(source.id, dest.id, { requiresApproval: true }));
  await writeCsv(csv, [...staff.slice(0, 12), ...employees(1, 30)]);
  const waiting = await run(operator, job.id);
  expect(waiting.state).toBe('RUN_STATE_PENDING_APPROVAL');
  await expectApiError(operator.post(`/api/runs/${waiting.id}/approve`), 403, 'AUTH.FORBIDDEN');
  expect((await approver.post<RunJson>(`/api/runs/${waiting.id}/deny`, { comment: 'no' })).state).toBe('RUN_STATE_DENIED');
  await new Promise((r) => setTimeout(r, 500));
  expect((await people(ldap)).size).toBe(12);
  const approved = await run(operator, job.id);
  await approver.post(`/api/runs/${approved.id}/approve`);
  const approvedDone = await approver.waitForRun(approved.id);
  expect(approvedDone.counters).toMatchObject({ created: 1 });
  expect((await people(ldap)).has('E00030')).toBe(true);

  // 8. history: every applied change, who started the run, before and after
  const history = await operator.get<{ total: number; changes: { kind: string; requestedBy: string; dn: string; changes: { attribute: string; before: { values: string[] }; after: { values: string[] } }[] }[] }>(`/api/history?run=${first.id}&limit=100`);
  expect(history.total).toBe(20);
  expect(history.changes.every((c) => c.kind === 'OPERATION_KIND_CREATE' && c.requestedBy === 'alice')).toBe(true);
  const e3 = await operator.get<{ changes: { kind: string; changes: { attribute: string; before: { values: string[] }; after: { values: string[] } }[] }[] }>(`/api/history?object=E00003`);
  expect(e3.changes.map((c) => c.kind)).toEqual(['OPERATION_KIND_CREATE', 'OPERATION_KIND_UPDATE']);
  expect(e3.changes[1].changes.find((c) => c.attribute === 'title')).toMatchObject({ before: { values: ['Engineer'] }, after: { values: ['Architect'] } });

  // 9. notification: summaries for completed runs and the blocked one
  await waitFor(() => smtp.mails.some((m) => m.subject.includes('stopped by a threshold')), 20000, 'the threshold email');
  await waitFor(() => smtp.mails.filter((m) => m.subject.includes('run completed')).length >= 3, 20000, 'completion emails');
  expect(smtp.mails[0].to).toEqual(['ops@example.org']);
  expect(smtp.mails.find((m) => m.subject.includes('stopped'))!.text).toMatch(/Nothing was written/);

  // 10. bad input: the run fails naming file, row and field; the directory is untouched
  await operator.put(`/api/jobs/${job.id}`, jobBody(source.id, dest.id));
  const before = await people(ldap);
  const cases: [string, string, RegExp][] = [
    ['missing key column', 'givenName,surname\nAda,Lovelace\n', /employeeId/],
    ['duplicate keys', 'employeeId,givenName,surname,email,department,title,managerId,status\nE1,A,B,a@x,D,T,,active\nE1,C,D,c@x,D,T,,active\n', /E1[\s\S]*(row|line) 2[\s\S]*3|duplicate/i],
    ['empty file', '', /empty/i],
    ['broken quote', 'employeeId,givenName,surname,email,department,title,managerId,status\nE1,"Ada,B,a@x,D,T,,active\n', /quote|malformed|line 2/i],
  ];
  for (const [what, content, expected] of cases) {
    await writeFile(csv, content);
    const failed = await run(operator, job.id);
    expect({ what, state: failed.state }).toEqual({ what, state: 'RUN_STATE_FAILED' });
    expect(failed.reason).toMatch(expected);
    expect(failed.reason).toContain(csv);
  }
  const unreachable = await operator.post<{ id: string }>('/api/connections', {
    name: 'OpenLDAP (down)', kind: 'ldap', settings: { url: 'ldap://127.0.0.1:1', bindDn: ldap.bindDn, baseDn: ldap.baseDn }, secrets: { password: 'x' },
  });
  await writeCsv(csv, staff.slice(0, 12));
  const downJob = await operator.post<{ id: string }>('/api/jobs', jobBody(source.id, unreachable.id, { name: 'to a dead server' }));
  const down = await run(operator, downJob.id);
  expect(down.state).toBe('RUN_STATE_FAILED');
  expect(down.error?.code).toBe('CONNECTOR.UNREACHABLE');
  expect(await people(ldap)).toEqual(before);
  // checks: a manager that does not resolve leaves that one person out (onError skip), named in the error report
  await writeCsv(csv, [...staff.slice(0, 12), { ...employees(1, 40)[0], managerId: 'E99999' }]);
  const checked = await operator.post<{ id: string }>('/api/jobs', jobBody(source.id, dest.id, { name: 'with checks', checks: { references: ['managerId'], onError: 'skip' } }));
  const skipped = await run(operator, checked.id);
  expect(skipped.state).toBe('RUN_STATE_COMPLETED');
  expect(skipped.counters).toMatchObject({ created: 0, deleted: 1, failed: 0 }); // E00030, who left the file
  expect((await people(ldap)).has('E00040')).toBe(false);
  const report = await operator.get<{ problems: { code: string; message: string; details: Record<string, string> }[] }>(`/api/runs/${skipped.id}/problems`);
  expect(report.problems).toEqual([expect.objectContaining({ code: 'SOURCE.UNRESOLVED_REFERENCE', details: expect.objectContaining({ sourceKey: 'E00040' }) })]);
  expect(report.problems[0].message).toContain('E99999');

  const failedMail = await waitFor(() => smtp.mails.find((m) => m.text.includes(down.id)), 20000, 'the failure email');
  expect(failedMail.subject).toBe('[idsync] to a dead server: run failed');
  expect(failedMail.text).toContain('CONNECTOR.UNREACHABLE');
}
