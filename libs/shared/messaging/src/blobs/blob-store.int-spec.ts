import { TEST_NATS_URL, uniqueName } from '@idsync/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { JetStreamTransport } from '../transport/jetstream.transport';
import { FsBlobStore, type BlobStore } from './blob-store';
import { NatsBlobStore } from './nats-blob-store';

function* rows(n: number): Iterable<string> {
  for (let i = 0; i < n; i++) yield JSON.stringify({ key: `e${i}`, attributes: { cn: [`User ${i}`] } });
}

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const l of it) out.push(l);
  return out;
}

describe('blob stores keep NDJSON whole and in order', () => {
  const cases: [string, () => Promise<{ store: BlobStore; done: () => Promise<void> }>][] = [
    ['folder', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'blobs-'));
      return { store: new FsBlobStore(dir), done: () => rm(dir, { recursive: true, force: true }) };
    }],
    ['JetStream object store', async () => {
      const prefix = uniqueName('b');
      const t = await JetStreamTransport.connect({ servers: TEST_NATS_URL, stream: prefix.toUpperCase(), subjectPrefix: `${prefix}.` });
      const store = new NatsBlobStore(t.connection, prefix);
      return { store, done: async () => { await store.destroy(); await t.destroy(); } };
    }],
  ];

  it.each(cases)('%s', async (_n, make) => {
    const { store, done } = await make();
    try {
      const ref = await store.write('snapshots', 'run-1/source.ndjson', rows(20000));
      expect(ref.records).toBe(20000);
      const expected = [...rows(20000)];
      expect(ref.sha256).toBe(createHash('sha256').update(expected.map((l) => l + '\n').join('')).digest('hex'));
      const back = await collect(store.read(ref));
      expect(back.length).toBe(20000);
      expect(back[0]).toBe(expected[0]);
      expect(back[19999]).toBe(expected[19999]);
      await store.remove(ref);
      await expect(collect(store.read(ref))).rejects.toThrow();
    } finally {
      await done();
    }
  });
});
