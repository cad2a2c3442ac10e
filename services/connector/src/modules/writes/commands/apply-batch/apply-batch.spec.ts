import type { Connector, ConnectorOperation, OperationOutcome } from '@idsync/connector-core';
import { applyWithRetries, OPERATION_TRIES } from './apply-batch.handler';

const op = (dn: string): ConnectorOperation => ({ kind: 'create', dn, changes: [] });

/** A destination that answers from a script, one list of outcomes per call, and records what it was given. */
function scripted(answers: OperationOutcome['status'][][]): Connector & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    apply: async (ops: ConnectorOperation[]) => {
      calls.push(ops.map((o) => o.dn));
      const statuses = answers[calls.length - 1] ?? ops.map(() => 'succeeded' as const);
      return statuses.map((status) => (status === 'succeeded' ? { status } : { status, message: `${status} at call ${calls.length}` }));
    },
  } as unknown as Connector & { calls: string[][] };
}

describe('applyWithRetries', () => {
  it('tries again only the operations answered retryable, until they succeed', async () => {
    const c = scripted([['succeeded', 'retryable', 'failed', 'retryable'], ['retryable', 'succeeded'], ['succeeded']]);
    const outcomes = await applyWithRetries(c, [op('a'), op('b'), op('c'), op('d')]);
    expect(c.calls).toEqual([['a', 'b', 'c', 'd'], ['b', 'd'], ['b']]);
    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'succeeded', 'failed', 'succeeded']);
  });

  it('gives up after its tries and reports what is still retryable as such', async () => {
    const c = scripted(Array.from({ length: 10 }, () => ['retryable']));
    const [outcome] = await applyWithRetries(c, [op('a')]);
    expect(c.calls).toHaveLength(OPERATION_TRIES);
    expect(outcome).toEqual({ status: 'retryable', message: `retryable at call ${OPERATION_TRIES}` });
  });
});
