import { entry, hrJob, person, plan } from './planner.fixtures';
import type { IdentityRecord } from './types';

const staff = (n: number, from = 1) => Array.from({ length: n }, (_, i) => [`E${String(from + i).padStart(3, '0')}`, 'Given', `Name${from + i}`] as const);
const destination = (n: number): IdentityRecord[] => staff(n).map(([id, g, s]) => entry(id, g, s));
const source = (n: number, from = 1): IdentityRecord[] => staff(n, from).map(([id, g, s]) => person(id, g, s));

describe('Planner: guards', () => {
  it('a plan over a count threshold is still planned, with a violation', () => {
    const { operations, violations } = plan(hrJob({ thresholds: { maxDeletes: 5, maxDeletePercent: 40 } }), destination(18), source(12));
    expect(operations.filter((o) => o.kind === 'delete')).toHaveLength(6);
    expect(violations).toEqual([{ guard: 'max_deletes', limit: 5, actual: 6, message: '6 deletes exceed max_deletes 5' }]);
  });

  it('percent thresholds use the destination count', () => {
    const { violations } = plan(hrJob({ thresholds: { maxCreatePercent: 20, maxUpdatePercent: 10 } }), destination(10), [...source(10, 1).map((p) => ({ ...p, attributes: { ...p.attributes, surname: ['Renamed'] } })), ...source(3, 50)]);
    expect(violations.map((v) => [v.guard, v.actual])).toEqual([
      ['max_create_percent', 30],
      ['max_update_percent', 100],
    ]);
  });

  it('an empty source plans no delete at all and raises empty_source', () => {
    const { operations, violations, summary } = plan(hrJob(), destination(3), []);
    expect(operations).toEqual([]);
    expect(summary).toMatchObject({ sourceCount: 0, destinationCount: 3, deletes: 0 });
    expect(violations.map((v) => v.guard)).toEqual(['empty_source']);
  });

  it('nor a disable', () => {
    const { operations } = plan(hrJob({ deprovision: 'disable', disable: { attribute: 'employeeType', value: 'disabled' } }), destination(3), []);
    expect(operations).toEqual([]);
  });

  it('an empty source that is allowed deletes everything, within the other guards', () => {
    const { operations, violations } = plan(hrJob({ thresholds: { allowEmptySource: true, maxDeletes: 2 } }), destination(3), []);
    expect(operations.map((o) => o.kind)).toEqual(['delete', 'delete', 'delete']);
    expect(violations.map((v) => v.message)).toEqual(['3 deletes exceed max_deletes 2']);
  });
});
