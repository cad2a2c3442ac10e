import { create, JobSpecSchema, type MessageInitShape } from '@idsync/contracts';
import { validateJob } from './job-validation';

type JobInit = MessageInitShape<typeof JobSpecSchema>;
const job = (overrides: Record<string, unknown> = {}) =>
  create(JobSpecSchema, {
    name: 'HR', objectType: 'user', sourceConnectionId: 'c1', destinationConnectionId: 'c2', sourceKey: 'employeeId',
    matching: [{ sourceAttribute: 'employeeId', destinationAttribute: 'employeeNumber', priority: 1 }],
    mappings: [{ target: 'uid', expression: '[uid]' }],
    dnTemplate: 'uid={uid},ou=people',
    ...overrides,
  } as JobInit);

/** The problems validateJob names, by field; {} when the job is valid. */
function problemsOf(overrides: Parameters<typeof job>[0]): Record<string, string> {
  try {
    validateJob(job(overrides));
    return {};
  } catch (e) {
    return (e as { details: Record<string, string> }).details;
  }
}

describe('validateJob', () => {
  it('takes a valid job', () => {
    expect(problemsOf({})).toEqual({});
  });

  it('refuses a reference mapping the planner cannot use, naming the field', () => {
    expect(problemsOf({ mappings: [{ target: 'uid', expression: '[uid]' }, { target: 'manager', expression: 'SelectUniqueValue([a], [b])', reference: true }] })).toEqual({
      'mappings[1].reference': 'manager: a reference mapping cannot use SelectUniqueValue',
    });
    expect(problemsOf({ mappings: [{ target: 'uid', expression: '[managerId]', reference: true }] })).toMatchObject({ dnTemplate: expect.stringMatching(/a reference mapping/) });
  });

  it('refuses an unknown multi-valued policy and a membership rule without {value}', () => {
    expect(problemsOf({ mappings: [{ target: 'uid', expression: '[uid]', multiValued: 'append' }] })).toEqual({ 'mappings[0].multiValued': 'uid: multiValued is replace, merge or keep, not "append"' });
    expect(problemsOf({ memberships: [{ sourceAttribute: 'department', groupDnTemplate: 'cn=staff,ou=groups', policy: 'sometimes' }] })).toEqual({
      'memberships[0].groupDnTemplate': expect.stringMatching(/\{value\}/),
      'memberships[0].policy': 'policy is replace or merge, not "sometimes"',
    });
  });
});
