import type { BlobLocation, BlobStore } from '@idsync/messaging';
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
 * On the way, every source object's own anchor is written by its source key to
 * `sourceAnchors` (`{sourceKey, sourceAnchor}` lines), so that a later incremental run can tell
 * which key a deletion reported by anchor was. For a partial run with `deleted`, the links whose
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
  // One read of the source feeds the planner and writes the source anchors.
  async function* sourceAnchors(): AsyncIterable<string> {
    for await (const line of blobs.read(inputs.source)) {
      const rec = JSON.parse(line) as IdentityRecord;
      planner.addSource(rec);
      const sourceKey = rec.anchor ? sourceKeyOf(rec, job.sourceKey) : '';
      if (sourceKey) yield JSON.stringify({ sourceKey, sourceAnchor: rec.anchor });
    }
  }
  const anchorsRef = await blobs.write(options.sourceAnchors.bucket, options.sourceAnchors.name, sourceAnchors());
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
  return { result: planner.finish(), sourceAnchors: anchorsRef, deletedKeys };
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
