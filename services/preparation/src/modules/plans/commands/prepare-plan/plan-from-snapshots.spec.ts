import type { BlobLocation, BlobStore } from '@idsync/messaging';
import type { IdentityRecord, PlanningJob } from '@idsync/planning';
import { planFromSnapshots } from './plan-from-snapshots';

/** Blobs in memory: enough for planFromSnapshots, which only writes and reads lines. */
class MemoryBlobs implements BlobStore {
  readonly blobs = new Map<string, string[]>();

  async write(bucket: string, name: string, lines: AsyncIterable<string> | Iterable<string>): Promise<BlobLocation> {
    const out: string[] = [];
    for await (const line of lines) out.push(line);
    this.blobs.set(`${bucket}/${name}`, out);
    return { bucket, name, records: out.length, sha256: '' };
  }

  async *read(ref: { bucket: string; name: string }): AsyncIterable<string> {
    yield* this.blobs.get(`${ref.bucket}/${ref.name}`) ?? [];
  }

  async remove(ref: { bucket: string; name: string }): Promise<void> {
    this.blobs.delete(`${ref.bucket}/${ref.name}`);
  }
}

const BASE = 'ou=dest,dc=example,dc=org';
const job: PlanningJob = {
  sourceKey: 'uid',
  matching: [{ sourceAttribute: 'uid', destinationAttribute: 'uid', priority: 1 }],
  mappings: [
    { target: 'uid', expression: '[uid]', onCreateOnly: true },
    { target: 'title', expression: '[title]' },
  ],
  dnTemplate: 'uid={uid},ou=people',
  baseDn: BASE,
  objectClasses: ['inetOrgPerson'],
  deprovision: 'delete',
  thresholds: {},
};
const entry = (uid: string): IdentityRecord => ({ key: `uid=${uid},ou=people,${BASE}`, anchor: `dest-${uid}`, attributes: { uid: [uid], title: ['Dev'] } });
const json = (items: unknown[]) => items.map((i) => JSON.stringify(i));

describe('planFromSnapshots', () => {
  it('writes each source object anchor by the key the plan uses, and deletes the linked objects of the anchors reported deleted', async () => {
    const blobs = new MemoryBlobs();
    const destination = await blobs.write('snapshots', 'destination.ndjson', json([entry('ada'), entry('bo'), entry('cy')]));
    // The delta: a key from an attribute (trimmed, as the planner reads it), and an object with no anchor.
    const source = await blobs.write('snapshots', 'source.ndjson', json([
      { key: '', anchor: 'src-ada', attributes: { uid: [' ada '], title: ['CTO'] } },
      { key: '', anchor: '', attributes: { uid: ['di'], title: ['Dev'] } },
    ]));
    const links = await blobs.write('links', 'links.ndjson', json([
      { sourceKey: 'ada', anchor: 'dest-ada', sourceAnchor: 'src-ada' },
      { sourceKey: 'bo', anchor: 'dest-bo', sourceAnchor: 'src-bo' },
      // Created by an earlier plan: no destination anchor read yet, found by its DN.
      { sourceKey: 'cy', anchor: '', sourceAnchor: 'src-cy', dn: `uid=cy,ou=people,${BASE}` },
    ]));
    const deleted = await blobs.write('snapshots', 'source-deleted.ndjson', json([{ anchor: 'src-bo' }, { anchor: 'src-cy' }, { anchor: 'src-unknown' }]));
    const sourceAnchors = { bucket: 'plans', name: 'run-1/source-anchors.ndjson' };

    const { result, deletedKeys } = await planFromSnapshots(blobs, job, { source, destination, links, deleted }, { partial: true, sourceAnchors });

    expect(blobs.blobs.get('plans/run-1/source-anchors.ndjson')!.map((l) => JSON.parse(l) as unknown)).toEqual([{ sourceKey: 'ada', sourceAnchor: 'src-ada' }]);
    expect(deletedKeys).toBe(2);
    expect(result.sourceDeletions).toBe(2);
    expect(result.operations.map((o) => [o.kind, o.dn.split(',')[0]])).toEqual([
      ['create', 'uid=di'],
      ['update', 'uid=ada'],
      ['delete', 'uid=bo'],
      ['delete', 'uid=cy'],
    ]);
  });

  it('a complete run ignores reported deletions: it finds them by absence', async () => {
    const blobs = new MemoryBlobs();
    const destination = await blobs.write('snapshots', 'destination.ndjson', json([entry('ada')]));
    const source = await blobs.write('snapshots', 'source.ndjson', json([{ key: '', anchor: 'src-ada', attributes: { uid: ['ada'], title: ['Dev'] } }]));
    const links = await blobs.write('links', 'links.ndjson', json([{ sourceKey: 'ada', anchor: 'dest-ada', sourceAnchor: 'src-ada' }]));
    const deleted = await blobs.write('snapshots', 'source-deleted.ndjson', json([{ anchor: 'src-ada' }]));
    const { result } = await planFromSnapshots(blobs, job, { source, destination, links, deleted }, { partial: false, sourceAnchors: { bucket: 'plans', name: 'run-2/source-anchors.ndjson' } });
    expect(result.operations).toEqual([]);
    expect(result.summary.unchanged).toBe(1);
  });
});
