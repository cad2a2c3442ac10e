import type { BlobStore } from '@idsync/messaging';
import { Planner, type IdentityRecord, type PlanningJob, type PlanResult } from '@idsync/planning';

/** Where a run's inputs are: NDJSON blobs of IdentityRecord (links: {sourceKey, anchor}). */
export interface PlanInputs {
  source: { bucket: string; name: string };
  destination: { bucket: string; name: string };
  groups?: { bucket: string; name: string };
  links?: { bucket: string; name: string };
}

/**
 * Plans a run from its snapshots, streamed from the blob store: two passes over the destination
 * (the first keeps only what matching needs, the second compares each object as it goes by), so
 * a million destination objects are never held whole. `partial`: an incremental run.
 *
 * @example
 *   const result = await planFromSnapshots(blobs, planningJob(job, baseDn), { source, destination, links }, { partial: false });
 */
export async function planFromSnapshots(blobs: BlobStore, job: PlanningJob, inputs: PlanInputs, options: { partial: boolean }): Promise<PlanResult> {
  const planner = new Planner(job, { partial: options.partial, secondDestinationPass: true });
  for await (const line of blobs.read(inputs.destination)) planner.addDestination(JSON.parse(line) as IdentityRecord);
  for await (const line of blobs.read(inputs.source)) planner.addSource(JSON.parse(line) as IdentityRecord);
  if (inputs.groups) for await (const line of blobs.read(inputs.groups)) planner.addGroup(JSON.parse(line) as IdentityRecord);
  if (inputs.links) {
    for await (const line of blobs.read(inputs.links)) {
      const link = JSON.parse(line) as { sourceKey: string; anchor: string };
      planner.addLink(link.sourceKey, link.anchor);
    }
  }
  for await (const line of blobs.read(inputs.destination)) planner.compareDestination(JSON.parse(line) as IdentityRecord);
  return planner.finish();
}
