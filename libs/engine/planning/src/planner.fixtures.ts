// Test fixtures for the planner specs: a job shaped like the HR → LDAP slice, and record builders.
import { Planner, type PlannerOptions } from './planner';
import type { Attrs, IdentityRecord, PlanningJob, PlanResult } from './types';

export const BASE_DN = 'dc=example,dc=org';

export function hrJob(overrides: Partial<PlanningJob> = {}): PlanningJob {
  return {
    sourceKey: 'employeeId',
    matching: [{ sourceAttribute: 'employeeId', destinationAttribute: 'employeeNumber', priority: 1 }],
    mappings: [
      { target: 'uid', expression: 'ToLower(Join(".", NormalizeDiacritics([givenName]), NormalizeDiacritics([surname])))', onCreateOnly: true },
      { target: 'cn', expression: 'Join(" ", [givenName], [surname])' },
      { target: 'sn', expression: '[surname]' },
      { target: 'title', expression: '[title]' },
      { target: 'employeeNumber', expression: '[employeeId]' },
    ],
    dnTemplate: 'uid={uid},ou=people',
    baseDn: BASE_DN,
    objectClasses: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
    deprovision: 'delete',
    thresholds: {},
    ...overrides,
  };
}

/** An HR row. */
export function person(employeeId: string, givenName: string, surname: string, extra: Attrs = {}): IdentityRecord {
  return { key: employeeId, anchor: '', attributes: { employeeId: [employeeId], givenName: [givenName], surname: [surname], ...extra } };
}

/** The directory entry that hrJob would have created for person(...). */
export function entry(employeeId: string, givenName: string, surname: string, extra: Attrs = {}): IdentityRecord {
  const uid = `${givenName}.${surname}`.toLowerCase();
  return {
    key: `uid=${uid},ou=people,${BASE_DN}`,
    anchor: `anchor-${uid}`,
    attributes: {
      objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
      uid: [uid],
      cn: [`${givenName} ${surname}`],
      sn: [surname],
      employeeNumber: [employeeId],
      ...extra,
    },
  };
}

/**
 * What some plans need besides the two snapshots: groups (Planner.addGroup), known links
 * (Planner.addLink) and, for a partial run, the source keys reported deleted (Planner.addDeletedSource).
 */
export interface PlanInput {
  groups?: IdentityRecord[];
  links?: [sourceKey: string, anchor: string][];
  deleted?: (string | [sourceKey: string, dn: string])[];
}

/**
 * The plan, computed twice: once as is, and once with a second pass over the destination
 * (PlannerOptions.secondDestinationPass), which must give the same plan.
 */
export function plan(job: PlanningJob, destination: IdentityRecord[], source: IdentityRecord[], options?: PlannerOptions, input: PlanInput = {}): PlanResult {
  const feed = (planner: Planner) => {
    input.groups?.forEach((g) => planner.addGroup(g));
    destination.forEach((d) => planner.addDestination(d));
    source.forEach((s) => planner.addSource(s));
    input.links?.forEach(([k, a]) => planner.addLink(k, a));
    input.deleted?.forEach((k) => (typeof k === 'string' ? planner.addDeletedSource(k) : planner.addDeletedSource(...k)));
  };
  const planner = new Planner(job, options);
  feed(planner);
  const result = planner.finish();
  const twice = new Planner(job, { ...options, secondDestinationPass: true });
  feed(twice);
  destination.forEach((d) => twice.compareDestination(d));
  expect(unredacted(twice.finish())).toEqual(unredacted(result));
  return result;
}

/** Redacted values are random (RandomString): the same plan has other ones each time. */
function unredacted(result: PlanResult): PlanResult {
  const operations = result.operations.map((op) => ({ ...op, changes: op.changes.map((c) => (c.redacted ? { ...c, after: ['(redacted)'] } : c)) }));
  return { ...result, operations };
}
