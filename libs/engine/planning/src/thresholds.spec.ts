import { Planner } from './planner';
import { entry, hrJob } from './planner.fixtures';
import { checkThresholds, DEFAULT_THRESHOLDS, NETWRIX_GUARDS, type PlanCounts } from './thresholds';

const counts = (c: Partial<PlanCounts>): PlanCounts => ({ sourceCount: 100, destinationCount: 100, creates: 0, updates: 0, deletes: 0, disables: 0, ...c });

describe('checkThresholds', () => {
  it('a count over its limit is one violation with a readable message', () => {
    expect(checkThresholds(counts({ deletes: 14 }), { maxDeletes: 10 })).toEqual([{ guard: 'max_deletes', limit: 10, actual: 14, message: '14 deletes exceed max_deletes 10' }]);
    expect(checkThresholds(counts({ creates: 3 }), { maxCreates: 2 })[0].message).toBe('3 creates exceed max_creates 2');
    expect(checkThresholds(counts({ updates: 3 }), { maxUpdates: 2 })[0].message).toBe('3 updates exceed max_updates 2');
  });

  it('reads well for a single object', () => {
    expect(checkThresholds(counts({ destinationCount: 1, deletes: 1 }), { maxDeletes: 0, maxDeletePercent: 50 }).map((v) => v.message)).toEqual([
      '1 delete exceeds max_deletes 0',
      '1 delete is 100% of 1 destination object, exceeding max_delete_percent 50%',
    ]);
  });

  it('the limit itself is allowed', () => {
    expect(checkThresholds(counts({ deletes: 10, creates: 5, updates: 5 }), { maxDeletes: 10, maxCreates: 5, maxUpdates: 5, maxDeletePercent: 10 })).toEqual([]);
  });

  it('disables count with deletes, as in Entra', () => {
    expect(checkThresholds(counts({ deletes: 4, disables: 3 }), { maxDeletes: 6 })[0]).toMatchObject({ actual: 7, message: '7 deletes and disables exceed max_deletes 6' });
    expect(checkThresholds(counts({ disables: 7 }), { maxDeletes: 6 })[0].message).toBe('7 disables exceed max_deletes 6');
  });

  it('percentages are of the destination count', () => {
    expect(checkThresholds(counts({ destinationCount: 40, deletes: 14 }), { maxDeletePercent: 30 })).toEqual([
      { guard: 'max_delete_percent', limit: 30, actual: 35, message: '14 deletes are 35% of 40 destination objects, exceeding max_delete_percent 30%' },
    ]);
    expect(checkThresholds(counts({ destinationCount: 3, updates: 2 }), { maxUpdatePercent: 50 })[0]).toMatchObject({ guard: 'max_update_percent', actual: 66.67 });
    expect(checkThresholds(counts({ destinationCount: 10, creates: 6 }), { maxCreatePercent: 50 })[0]).toMatchObject({ guard: 'max_create_percent', actual: 60 });
  });

  it('no percentage is checked against an empty destination', () => {
    expect(checkThresholds(counts({ destinationCount: 0, creates: 500 }), { maxCreatePercent: 10 })).toEqual([]);
  });

  it('each exceeded guard is its own violation', () => {
    const v = checkThresholds(counts({ destinationCount: 20, deletes: 12, creates: 9 }), { maxDeletes: 5, maxDeletePercent: 40, maxCreates: 8 });
    expect(v.map((x) => x.guard)).toEqual(['max_creates', 'max_deletes', 'max_delete_percent']);
  });

  it('an empty source is a violation unless allowed', () => {
    expect(checkThresholds(counts({ sourceCount: 0 }), {})).toEqual([expect.objectContaining({ guard: 'empty_source', limit: 0, actual: 0 })]);
    expect(checkThresholds(counts({ sourceCount: 0 }), { allowEmptySource: true })).toEqual([]);
  });

  it('defaults follow Entra: 500 deletes, plus half the directory', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({ maxDeletes: 500, maxDeletePercent: 50, allowEmptySource: false, maxLinkDeletes: 500, maxLinkDeletePercent: 50 });
    expect(Object.keys(DEFAULT_THRESHOLDS)).toEqual([
      'maxCreates', 'maxUpdates', 'maxDeletes', 'maxCreatePercent', 'maxUpdatePercent', 'maxDeletePercent', 'allowEmptySource',
      'maxLinkCreates', 'maxLinkUpdates', 'maxLinkDeletes', 'maxLinkCreatePercent', 'maxLinkUpdatePercent', 'maxLinkDeletePercent',
    ]);
    expect(checkThresholds(counts({ destinationCount: 1000, deletes: 501 }), DEFAULT_THRESHOLDS).map((v) => v.guard)).toEqual(['max_deletes', 'max_delete_percent']);
    expect(checkThresholds(counts({ destinationCount: 900, deletes: 460 }), DEFAULT_THRESHOLDS).map((v) => v.guard)).toEqual(['max_delete_percent']);
  });

  describe('the twelve Netwrix guards', () => {
    it('map onto the existing fields and six optional link fields', () => {
      expect(Object.keys(NETWRIX_GUARDS)).toHaveLength(12);
      expect(NETWRIX_GUARDS.MaximumDeletedLines).toBe('maxDeletes');
      expect(NETWRIX_GUARDS.MaxPercentageLinkDeletedLines).toBe('maxLinkDeletePercent');
    });

    it('link guards check the counts the caller passes, percentages of the existing links', () => {
      const c = counts({ linkCount: 200, linkCreates: 30, linkUpdates: 5, linkDeletes: 60 });
      expect(checkThresholds(c, { maxLinkCreates: 20, maxLinkUpdates: 5, maxLinkDeletes: 100, maxLinkDeletePercent: 25, maxLinkCreatePercent: 50 })).toEqual([
        { guard: 'max_link_creates', limit: 20, actual: 30, message: '30 link creates exceed max_link_creates 20' },
        { guard: 'max_link_delete_percent', limit: 25, actual: 30, message: '60 link deletes are 30% of 200 destination links, exceeding max_link_delete_percent 25%' },
      ]);
      expect(checkThresholds(counts({ linkUpdates: 1, linkCount: 1 }), { maxLinkUpdates: 0, maxLinkUpdatePercent: 50 }).map((v) => v.message)).toEqual([
        '1 link update exceeds max_link_updates 0',
        '1 link update is 100% of 1 destination link, exceeding max_link_update_percent 50%',
      ]);
    });

    it('without link counts every link guard sees 0, and no percentage is checked', () => {
      expect(checkThresholds(counts({}), { maxLinkCreates: 0, maxLinkUpdates: 0, maxLinkDeletes: 0, maxLinkCreatePercent: 0 })).toEqual([]);
    });

    it('the planner passes the link counts given in its options', () => {
      const planner = new Planner(hrJob({ thresholds: { maxLinkDeletes: 10 } }), { linkCounts: { existing: 100, deletes: 11 } });
      planner.addDestination(entry('E1', 'Ada', 'Lovelace'));
      expect(planner.finish().violations.map((v) => v.guard)).toEqual(['empty_source', 'max_link_deletes']);
    });
  });
});
