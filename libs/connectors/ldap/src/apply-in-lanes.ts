import type { ConnectorOperation, OperationOutcome } from '@idsync/connector-core';

/** What applyInLanes needs from a directory connector: its connections and how to apply one operation. */
export interface LaneOptions<C, Op extends Pick<ConnectorOperation, 'dn'> = ConnectorOperation> {
  /** Connections used in parallel at most; the pool never grows past the number of distinct DNs. */
  concurrency: number;
  /** A bound connection; the first call may throw (UNREACHABLE, AUTH_FAILED) and then nothing is tried. */
  connect: () => Promise<C>;
  /** Gives a connection back; called once for every connection opened, whatever happened. */
  release: (connection: C) => Promise<void>;
  /** Applies one operation and reports its outcome; it should not throw. */
  applyOne: (connection: C, op: Op) => Promise<OperationOutcome>;
}

/**
 * Applies a batch of directory operations in lanes, one lane per DN (compared case-insensitively):
 * operations on the same DN run in their given order on one connection, and stop at the first
 * that does not succeed (the rest are "not tried"); operations on different DNs run in parallel
 * on up to `concurrency` connections, in no set order (so a batch must not rely on a parent being
 * created first). Outcomes come back in the order of `operations`.
 *
 * @example
 *   const outcomes = await applyInLanes(operations, {
 *     concurrency: 4,
 *     connect: () => this.connect(),
 *     release: (client) => this.release(client),
 *     applyOne: (client, op) => this.applyOne(client, op),
 *   });
 */
export async function applyInLanes<C, Op extends Pick<ConnectorOperation, 'dn'>>(operations: Op[], options: LaneOptions<C, Op>): Promise<OperationOutcome[]> {
  if (!operations.length) return [];
  const groups = new Map<string, number[]>();
  operations.forEach((op, i) => {
    const dn = op.dn.toLowerCase();
    groups.set(dn, [...(groups.get(dn) ?? []), i]);
  });
  const queue = [...groups.values()];
  const outcomes: OperationOutcome[] = new Array(operations.length);

  // The first connection decides whether anything can be tried at all; it throws UNREACHABLE or AUTH_FAILED.
  const connections = [await options.connect()];
  const extra = Math.min(options.concurrency, queue.length) - 1;
  const more = await Promise.allSettled(Array.from({ length: Math.max(0, extra) }, () => options.connect()));
  for (const r of more) if (r.status === 'fulfilled') connections.push(r.value);

  try {
    await Promise.all(
      connections.map(async (connection) => {
        for (let group = queue.shift(); group; group = queue.shift()) {
          let blocked: OperationOutcome | undefined;
          for (const i of group) {
            // Later operations on a DN assume the earlier ones took effect; running them anyway could
            // half-apply the plan (an update after a create that did not happen).
            outcomes[i] = blocked ? { status: blocked.status === 'retryable' ? 'retryable' : 'failed', message: `not tried: an earlier operation on this DN did not succeed (${blocked.message})` } : await options.applyOne(connection, operations[i]);
            if (!blocked && outcomes[i].status !== 'succeeded') blocked = outcomes[i];
          }
        }
      }),
    );
  } finally {
    await Promise.all(connections.map((c) => options.release(c)));
  }
  return outcomes;
}
