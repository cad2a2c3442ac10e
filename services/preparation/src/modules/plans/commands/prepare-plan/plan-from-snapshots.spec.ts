import { FsBlobStore } from '@idsync/messaging';
import type { IdentityRecord, PlanningJob } from '@idsync/planning';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planFromSnapshots } from './plan-from-snapshots';

let dir: string;
let blobs: FsBlobStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idsync-plan-from-snapshots-'));
  blobs = new FsBlobStore(dir);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function lines(ref: { bucket: string; name: string }): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const line of blobs.read(ref)) out.push(JSON.parse(line));
  return out;
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

    expect(await lines(sourceAnchors)).toEqual([{ sourceKey: 'ada', sourceAnchor: 'src-ada' }]);
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
    const destination = await blobs.write('snapshots', 'destination.ndjson', json([entry('ada')]));
    const source = await blobs.write('snapshots', 'source.ndjson', json([{ key: '', anchor: 'src-ada', attributes: { uid: ['ada'], title: ['Dev'] } }]));
    const links = await blobs.write('links', 'links.ndjson', json([{ sourceKey: 'ada', anchor: 'dest-ada', sourceAnchor: 'src-ada' }]));
    const deleted = await blobs.write('snapshots', 'source-deleted.ndjson', json([{ anchor: 'src-ada' }]));
    const { result } = await planFromSnapshots(blobs, job, { source, destination, links, deleted }, { partial: false, sourceAnchors: { bucket: 'plans', name: 'run-2/source-anchors.ndjson' } });
    expect(result.operations).toEqual([]);
    expect(result.summary.unchanged).toBe(1);
  });

  it('keeps the anchors of the objects the plan speaks for only: never an out-of-scope row beside its successor, nor a repeated key', async () => {
    const destination = await blobs.write('snapshots', 'destination.ndjson', json([entry('jdoe')]));
    // A terminated row left in the export beside its rehired successor (same key), and two rows sharing a key.
    const source = await blobs.write('snapshots', 'source.ndjson', json([
      { key: '', anchor: 'src-old', attributes: { uid: ['jdoe'], title: ['Dev'], status: ['terminated'] } },
      { key: '', anchor: 'src-new', attributes: { uid: ['jdoe'], title: ['Dev'], status: ['active'] } },
      { key: '', anchor: 'src-x1', attributes: { uid: ['twin'], title: ['Dev'], status: ['active'] } },
      { key: '', anchor: 'src-x2', attributes: { uid: ['twin'], title: ['Dev'], status: ['active'] } },
    ]));
    const scoped: PlanningJob = { ...job, scoping: { groups: [{ clauses: [{ attribute: 'status', operator: 'EQUALS', value: 'active' }] }] }, checks: { onError: 'skip' } };
    const sourceAnchors = { bucket: 'plans', name: 'run-3/source-anchors.ndjson' };
    await planFromSnapshots(blobs, scoped, { source, destination }, { partial: false, sourceAnchors });
    expect(await lines(sourceAnchors)).toEqual([{ sourceKey: 'jdoe', sourceAnchor: 'src-new' }]);
  });
});
