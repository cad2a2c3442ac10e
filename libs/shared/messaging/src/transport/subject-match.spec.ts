import { subjectMatches } from './subject-match';

describe('subjectMatches', () => {
  it.each([
    ['idsync.workflow.run.completed.v1', 'idsync.workflow.run.completed.v1', true],
    ['idsync.workflow.run.*.v1', 'idsync.workflow.run.failed.v1', true],
    ['idsync.workflow.run.*.v1', 'idsync.workflow.run.failed.v2', false],
    ['idsync.>', 'idsync.workflow.run.failed.v1', true],
    ['idsync.>', 'idsync', false],
    ['idsync.workflow.*', 'idsync.workflow.run.failed.v1', false],
  ])('%s matches %s: %s', (filter, subject, expected) => {
    expect(subjectMatches(filter, subject)).toBe(expected);
  });
});
