import { Planner } from './planner';
import { BASE_DN, entry, hrJob, person } from './planner.fixtures';
import type { IdentityRecord, PlanningJob, PlanResult } from './types';

const directory = [entry('E1', 'Ada', 'Lovelace', { title: ['Engineer'] }), entry('E2', 'Bo', 'Li'), entry('E3', 'Cy', 'Ng')];
const source = [person('E1', 'Ada', 'Lovelace', { title: ['Architect'] }), person('E3', 'Cy', 'Ng'), person('E4', 'Di', 'Oz')];

function twoPass(job: PlanningJob, destination: IdentityRecord[], sources: IdentityRecord[], again = destination): PlanResult {
  const planner = new Planner(job, { secondDestinationPass: true });
  destination.forEach((d) => planner.addDestination(d));
  sources.forEach((s) => planner.addSource(s));
  again.forEach((d) => planner.compareDestination(d));
  return planner.finish();
}

describe('Planner: a second pass over the destination (secondDestinationPass)', () => {
  it('plans updates and deletes as each destination object goes by, whatever the order of the second pass', () => {
    const r = twoPass(hrJob(), directory, source, [...directory].reverse());
    expect(r.operations.map((o) => [o.kind, o.sourceKey || o.dn])).toEqual([
      ['create', 'E4'],
      ['update', 'E1'],
      ['delete', `uid=bo.li,ou=people,${BASE_DN}`],
    ]);
    expect(r.operations[1].changes).toEqual([{ attribute: 'title', before: ['Engineer'], after: ['Architect'] }]);
    expect(r.summary).toMatchObject({ unchanged: 1, destinationCount: 3 });
  });

  it('ignores a record the first pass did not see, and a repeated one', () => {
    const stranger = entry('E9', 'Zed', 'Last');
    const r = twoPass(hrJob(), directory, source, [stranger, ...directory, directory[0]]);
    expect(r.operations.map((o) => o.kind)).toEqual(['create', 'update', 'delete']);
  });

  it('refuses to finish while destination objects of the first pass were not compared: their deletes would be lost', () => {
    const planner = new Planner(hrJob(), { secondDestinationPass: true });
    directory.forEach((d) => planner.addDestination(d));
    source.forEach((s) => planner.addSource(s));
    planner.compareDestination(directory[0]);
    expect(() => planner.finish()).toThrow(expect.objectContaining({ code: 'PLAN.SECOND_PASS_INCOMPLETE', details: { missing: '2' } }));
  });

  it('closes the input once the second pass has begun', () => {
    const planner = new Planner(hrJob(), { secondDestinationPass: true });
    planner.addDestination(directory[0]);
    planner.compareDestination(directory[0]);
    expect(() => planner.addSource(source[0])).toThrow(expect.objectContaining({ code: 'PLAN.INPUT_CLOSED' }));
    expect(() => planner.addLink('E1', 'anchor-ada.lovelace')).toThrow(expect.objectContaining({ code: 'PLAN.INPUT_CLOSED' }));
  });

  it('is only for a planner told to expect it', () => {
    expect(() => new Planner(hrJob()).compareDestination(directory[0])).toThrow(expect.objectContaining({ code: 'PLAN.NO_SECOND_PASS' }));
  });

  it('an updated SelectUniqueValue mapping keeps its order: its objects wait for finish()', () => {
    const uniqueUid = 'SelectUniqueValue(ToLower(Join(".", [givenName], [surname])), ToLower(Join("", [givenName], [surname], "2")))';
    const job = hrJob({ mappings: [...hrJob().mappings.filter((m) => m.target !== 'uid'), { target: 'uid', expression: uniqueUid }] });
    const r = twoPass(job, [entry('E1', 'John', 'Smith')], [person('E2', 'John', 'Smith'), person('E1', 'John', 'Smith')]);
    expect(r.operations.map((o) => [o.kind, o.sourceKey, o.dn.split(',')[0]])).toEqual([['create', 'E2', 'uid=johnsmith2']]);
    expect(r.summary.unchanged).toBe(1);
  });
});
