import { readLines, spool, type BlobLocation, type BlobStore } from '@idsync/messaging';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Planner, sourceKeyOf, type IdentityRecord, type PlanningJob, type PlanResult } from '@idsync/planning';

type BlobName = { bucket: string; name: string };

/** Where a run's inputs are: NDJSON blobs of IdentityRecord (links: {sourceKey, anchor, sourceAnchor?, dn?}; deleted: {anchor}). */
export interface PlanInputs {
  source: BlobName;
  destination: BlobName;
  groups?: BlobName;
  links?: BlobName;
  /** A partial run: the anchors of the source objects the source reported deleted. */
  deleted?: BlobName;
}

/** The plan, and the source anchors read on the way (`sourceAnchors`: where they were written). */
export interface PlannedFromSnapshots {
  result: PlanResult;
  sourceAnchors: BlobLocation;
  /** How many source keys the deleted anchors named, through the links' source anchors. */
  deletedKeys: number;
}

/**
 * Plans a run from its snapshots, streamed from the blob store: two passes over the destination
 * (the first keeps only what matching needs, the second compares each object as it goes by), so
 * a million destination objects are never held whole. `partial`: an incremental run.
 *
 * On the way, the source objects' own anchors are written by source key to `sourceAnchors`
 * (`{sourceKey, sourceAnchor}` lines), so that a later incremental run can tell which key a
 * deletion reported by anchor was: only those of objects the plan speaks for (in scope, a key of
 * their own, no problem), never an out-of-scope row beside its successor with the same key. For a partial run with `deleted`, the links whose
 * source anchor is one of them give the planner its deleted source keys (addDeletedSource).
 *
 * @example
 *   const { result } = await planFromSnapshots(blobs, planningJob(job, baseDn), { source, destination, links }, { partial: false, sourceAnchors: { bucket: 'plans', name: `${runId}/source-anchors.ndjson` } });
 */
export async function planFromSnapshots(
  blobs: BlobStore,
  job: PlanningJob,
  inputs: PlanInputs,
  options: { partial: boolean; sourceAnchors: BlobName },
): Promise<PlannedFromSnapshots> {
  const planner = new Planner(job, { partial: options.partial, secondDestinationPass: true });
  for await (const line of blobs.read(inputs.destination)) planner.addDestination(JSON.parse(line) as IdentityRecord);
  // One read of the source feeds the planner and spools each anchor with the object's position; only
  // those of objects the plan speaks for are kept, once it is known which (after finish()).
  async function* anchorsRead(): AsyncIterable<string> {
    for await (const line of blobs.read(inputs.source)) {
      const rec = JSON.parse(line) as IdentityRecord;
      const position = planner.addSource(rec);
      const sourceKey = rec.anchor ? sourceKeyOf(rec, job.sourceKey) : '';
      if (sourceKey) yield JSON.stringify([position, sourceKey, rec.anchor]);
    }
  }
  const spooled = await spool(anchorsRead());
  if (inputs.groups) for await (const line of blobs.read(inputs.groups)) planner.addGroup(JSON.parse(line) as IdentityRecord);
  const deleted = options.partial && inputs.deleted ? await deletedAnchors(blobs, inputs.deleted) : undefined;
  let deletedKeys = 0;
  if (inputs.links) {
    for await (const line of blobs.read(inputs.links)) {
      const link = JSON.parse(line) as { sourceKey: string; anchor: string; sourceAnchor?: string; dn?: string };
      if (link.anchor) planner.addLink(link.sourceKey, link.anchor);
      if (deleted && link.sourceAnchor && deleted.has(link.sourceAnchor)) {
        planner.addDeletedSource(link.sourceKey, link.dn ?? '');
        deletedKeys++;
      }
    }
  }
  for await (const line of blobs.read(inputs.destination)) planner.compareDestination(JSON.parse(line) as IdentityRecord);
  const result = planner.finish();
  try {
    const anchorsRef = await blobs.write(options.sourceAnchors.bucket, options.sourceAnchors.name, plannedAnchors(planner, spooled.path));
    return { result, sourceAnchors: anchorsRef, deletedKeys };
  } finally {
    await rm(spooled.path, { force: true });
  }
}

/** The spooled anchors of the source objects the plan speaks for, as `{sourceKey, sourceAnchor}` lines. */
async function* plannedAnchors(planner: Planner, path: string): AsyncIterable<string> {
  for await (const line of readLines(createReadStream(path))) {
    const [position, sourceKey, sourceAnchor] = JSON.parse(line) as [number, string, string];
    if (planner.isPlannedSource(position)) yield JSON.stringify({ sourceKey, sourceAnchor });
  }
}

/**
 * The deleted anchors, in memory: an incremental read reports few (leavers since the last run).
 * More than some 100,000 is rather a mass deletion, and costs some 100 bytes each here; they are
 * read all the same, since leaving some out would keep leavers' access, and the deletion guards
 * (max_deletes, max_delete_percent) stop such a plan for review.
 */
async function deletedAnchors(blobs: BlobStore, ref: BlobName): Promise<Set<string>> {
  const anchors = new Set<string>();
  for await (const line of blobs.read(ref)) {
    const { anchor } = JSON.parse(line) as { anchor: string };
    if (anchor) anchors.add(anchor);
  }
  return anchors;
}
