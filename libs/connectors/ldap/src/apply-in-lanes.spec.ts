import type { ConnectorOperation, OperationOutcome } from '@idsync/connector-core';
import { applyInLanes } from './apply-in-lanes';

const op = (dn: string, kind: ConnectorOperation['kind'] = 'update'): ConnectorOperation => ({ kind, dn, changes: [] });

function pool(results: Record<string, OperationOutcome> = {}) {
  let next = 0;
  const opened: number[] = [];
  const released: number[] = [];
  const applied: Array<{ connection: number; dn: string }> = [];
  return {
    opened,
    released,
    applied,
    connect: async () => {
      opened.push(next);
      return next++;
    },
    release: async (c: number) => {
      released.push(c);
    },
    applyOne: async (connection: number, o: ConnectorOperation) => {
      applied.push({ connection, dn: o.dn });
      await new Promise((r) => setImmediate(r));
      return results[`${o.kind} ${o.dn}`] ?? { status: 'succeeded' };
    },
  };
}

describe('applyInLanes', () => {
  it('opens no connection for an empty batch', async () => {
    const p = pool();
    await expect(applyInLanes([], { ...p, concurrency: 4 })).resolves.toEqual([]);
    expect(p.opened).toEqual([]);
  });

  it('keeps one DN on one connection in order, never opens more connections than DNs, and releases them all', async () => {
    const p = pool();
    const ops = [op('uid=a'), op('UID=A', 'disable'), op('uid=b'), op('uid=a', 'delete')];
    const outcomes = await applyInLanes(ops, { ...p, concurrency: 8 });
    expect(outcomes).toEqual(ops.map(() => ({ status: 'succeeded' })));
    expect(p.opened).toHaveLength(2);
    expect(p.released.sort()).toEqual([0, 1]);
    const lane = p.applied.filter((a) => a.dn.toLowerCase() === 'uid=a');
    expect(lane.map((a) => a.dn)).toEqual(['uid=a', 'UID=A', 'uid=a']);
    expect(new Set(lane.map((a) => a.connection)).size).toBe(1);
  });

  it('does not try the rest of a DN after a failure, keeping a retryable status retryable', async () => {
    const p = pool({ 'create uid=a': { status: 'retryable', message: 'busy' }, 'create uid=b': { status: 'failed', message: 'bad' } });
    const outcomes = await applyInLanes([op('uid=a', 'create'), op('uid=a'), op('uid=b', 'create'), op('uid=b'), op('uid=c')], { ...p, concurrency: 2 });
    expect(outcomes).toEqual([
      { status: 'retryable', message: 'busy' },
      { status: 'retryable', message: 'not tried: an earlier operation on this DN did not succeed (busy)' },
      { status: 'failed', message: 'bad' },
      { status: 'failed', message: 'not tried: an earlier operation on this DN did not succeed (bad)' },
      { status: 'succeeded' },
    ]);
    expect(p.applied.map((a) => a.dn).sort()).toEqual(['uid=a', 'uid=b', 'uid=c']);
  });

  it('throws when the first connection fails, and carries on with fewer when a later one does', async () => {
    await expect(applyInLanes([op('uid=a')], { concurrency: 2, connect: () => Promise.reject(new Error('refused')), release: async () => undefined, applyOne: async () => ({ status: 'succeeded' }) })).rejects.toThrow('refused');

    const p = pool();
    let calls = 0;
    const connect = () => (calls++ === 0 ? p.connect() : Promise.reject(new Error('refused')));
    const outcomes = await applyInLanes([op('uid=a'), op('uid=b')], { ...p, connect, concurrency: 4 });
    expect(outcomes).toEqual([{ status: 'succeeded' }, { status: 'succeeded' }]);
    expect(new Set(p.applied.map((a) => a.connection))).toEqual(new Set([0]));
  });
});
