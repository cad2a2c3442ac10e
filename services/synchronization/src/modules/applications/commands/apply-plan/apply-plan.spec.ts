import { create, OperationKind, OperationSchema, toJsonString } from '@idsync/contracts';
import { phaseBatches } from './apply-plan.handler';

async function* lines(phases: number[]): AsyncIterable<string> {
  for (const [index, phase] of phases.entries()) yield toJsonString(OperationSchema, create(OperationSchema, { index, phase, kind: OperationKind.UPDATE, dn: `uid=u${index}` }));
}

async function batches(phases: number[], size: number): Promise<number[][]> {
  const out: number[][] = [];
  for await (const batch of phaseBatches(lines(phases), size)) out.push(batch.map((b) => b.op.index));
  return out;
}

describe('phaseBatches', () => {
  it('cuts batches at the size and at every change of phase, never mixing two phases', async () => {
    expect(await batches([0, 1, 1, 1, 1, 1, 3, 5, 5], 2)).toEqual([[0], [1, 2], [3, 4], [5], [6], [7, 8]]);
  });

  it('keeps each line with its operation, and gives nothing for an empty plan', async () => {
    const [[first]] = await (async () => {
      const out: { line: string; index: number }[][] = [];
      for await (const b of phaseBatches(lines([2]), 10)) out.push(b.map((x) => ({ line: x.line, index: x.op.index })));
      return out;
    })();
    expect(JSON.parse(first.line)).toMatchObject({ phase: 2, dn: 'uid=u0' });
    expect(await batches([], 10)).toEqual([]);
  });
});
