import { decodeEnvelope, encodeEnvelope, openPayload, seal } from './envelope';
import { Subjects } from './subjects';
import { RunState } from './gen/idsync/workflow/v1/workflow_pb';

describe('envelope', () => {
  it('round-trips a payload with every envelope field', () => {
    const env = seal(Subjects.runCompleted, 'workflow', { run: { id: 'r1', state: RunState.COMPLETED } }, { correlationId: 'r1', causationId: 'm0' });
    const back = decodeEnvelope(encodeEnvelope(env));
    expect(back).toMatchObject({ type: 'idsync.workflow.run.completed.v1', correlationId: 'r1', causationId: 'm0', source: 'workflow', schemaVersion: 1 });
    expect(back.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(openPayload(Subjects.runCompleted, back).run?.state).toBe(RunState.COMPLETED);
  });

  it('refuses a payload opened as another subject, and garbage', () => {
    const env = seal(Subjects.runCompleted, 'workflow', {}, { correlationId: 'r1' });
    expect(() => openPayload(Subjects.runFailed, env)).toThrow(/expected idsync.workflow.run.failed.v1/);
    expect(() => decodeEnvelope('{')).toThrow(/not an idsync envelope/);
  });

  it('every subject in the registry follows the naming rule', () => {
    for (const def of Object.values(Subjects)) {
      const re = def.kind === 'event' ? /^idsync\.[a-z]+\.[a-z-]+\.[a-z-]+\.v\d+$/ : /^idsync\.[a-z]+\.[a-z-]+\.v\d+$/;
      expect(def.subject).toMatch(re);
      expect(def.subject.split('.')[1]).toBe(def.owner);
    }
  });
});
