import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromJson, JobSpecSchema } from '@idsync/contracts';
import { Planner } from '@idsync/planning';
import { planningJob } from '../services/preparation/src/modules/plans/plan-format';
import { validateJob } from '../services/workflow/src/modules/jobs/commands/save-job/job-validation';

/** The README's job example is a job the API takes and the planner plans, not a sketch that drifted. */
describe('README: the job example', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const example = /## A job[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];

  it('is a valid job, and the planner plans with it', () => {
    expect(example).toBeDefined();
    const job = fromJson(JobSpecSchema, JSON.parse(example!.replace(/"…"/g, '"connection-id"')));
    expect(() => validateJob(job)).not.toThrow();
    const planner = new Planner(planningJob(job, 'dc=example,dc=org'));
    planner.addSource({ key: 'E1', anchor: '', attributes: { employeeId: ['E1'], givenName: ['Zoë'], surname: ['Ångström'], level: ['7'], department: ['IT'], managerId: ['E1'], roles: ['a;b'] } });
    const { operations, problems } = planner.finish();
    expect(problems).toEqual([]);
    const dn = 'uid=zoe.angstrom,ou=people,dc=example,dc=org';
    expect(operations.map((o) => [o.kind, o.dn])).toEqual([
      ['create', dn],
      ['create', 'cn=IT,ou=groups,dc=example,dc=org'],
      // A manager created in the same run (here: herself) is set once the create is applied.
      ['update', dn],
    ]);
    expect(operations[0].changes).toContainEqual({ attribute: 'title', before: [], after: ['Architect'] });
    expect(operations[2].changes).toEqual([{ attribute: 'manager', before: [], after: [dn] }]);
  });
});
