import { create, fromJsonString, OperationKind, OperationSchema, toJsonString, DeprovisionAction, type JobSpec, type Operation } from '@idsync/contracts';
import { DEFAULT_THRESHOLDS, type PlannedOperation, type PlanningJob } from '@idsync/planning';

const kinds: Record<PlannedOperation['kind'], OperationKind> = {
  create: OperationKind.CREATE,
  update: OperationKind.UPDATE,
  delete: OperationKind.DELETE,
  disable: OperationKind.DISABLE,
};

/** One plan line: the contract Operation as protobuf JSON, so synchronization reads exactly what was reviewed. */
export function operationLine(op: PlannedOperation): string {
  return toJsonString(
    OperationSchema,
    create(OperationSchema, {
      index: op.index,
      kind: kinds[op.kind],
      dn: op.dn,
      sourceKey: op.sourceKey,
      objectClasses: op.objectClasses,
      changes: op.changes.map((c) => ({ attribute: c.attribute, before: { values: c.before }, after: { values: c.after } })),
    }),
  );
}

export function parseOperationLine(line: string): Operation {
  return fromJsonString(OperationSchema, line);
}

/**
 * The planner's view of a job. Guards are on by default (see DEFAULT_THRESHOLDS): a job
 * has to say so explicitly to allow more.
 */
export function planningJob(job: JobSpec, baseDn: string): PlanningJob {
  const t = job.thresholds;
  const pick = <K extends keyof typeof DEFAULT_THRESHOLDS>(k: K, v: number | undefined) => (v === undefined ? DEFAULT_THRESHOLDS[k] : v);
  return {
    sourceKey: job.sourceKey,
    matching: job.matching.map((m) => ({ sourceAttribute: m.sourceAttribute, destinationAttribute: m.destinationAttribute, priority: m.priority })),
    mappings: job.mappings.map((m) => ({ target: m.target, expression: m.expression, onCreateOnly: m.onCreateOnly })),
    dnTemplate: job.dnTemplate,
    baseDn,
    objectClasses: job.objectClasses.length ? job.objectClasses : ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
    deprovision: job.deprovision === DeprovisionAction.DISABLE ? 'disable' : job.deprovision === DeprovisionAction.IGNORE ? 'ignore' : 'delete',
    disable: job.disable?.attribute ? { attribute: job.disable.attribute, value: job.disable.value } : undefined,
    thresholds: {
      maxCreates: pick('maxCreates', t?.maxCreates),
      maxUpdates: pick('maxUpdates', t?.maxUpdates),
      maxDeletes: pick('maxDeletes', t?.maxDeletes),
      maxCreatePercent: pick('maxCreatePercent', t?.maxCreatePercent),
      maxUpdatePercent: pick('maxUpdatePercent', t?.maxUpdatePercent),
      maxDeletePercent: pick('maxDeletePercent', t?.maxDeletePercent),
      allowEmptySource: t?.allowEmptySource ?? false,
    },
  };
}
