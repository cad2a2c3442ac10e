import { create, fromJsonString, OperationKind, OperationSchema, toJsonString, DeprovisionAction, ValueMode, type JobSpec, type Operation } from '@idsync/contracts';
import { DEFAULT_THRESHOLDS, type PlannedOperation, type PlanningJob, type ScopingOperator } from '@idsync/planning';

const kinds: Record<PlannedOperation['kind'], OperationKind> = {
  create: OperationKind.CREATE,
  update: OperationKind.UPDATE,
  delete: OperationKind.DELETE,
  disable: OperationKind.DISABLE,
  rename: OperationKind.RENAME,
};

/** One plan line: the contract Operation as protobuf JSON, so synchronization reads exactly what was reviewed. */
export function operationLine(op: PlannedOperation): string {
  return toJsonString(
    OperationSchema,
    create(OperationSchema, {
      index: op.index,
      kind: kinds[op.kind],
      dn: op.dn,
      newDn: op.newDn ?? '',
      phase: op.phase,
      sourceKey: op.sourceKey,
      objectClasses: op.objectClasses,
      changes: op.changes.map((c) => ({ attribute: c.attribute, before: { values: c.before }, after: { values: c.after }, ...(c.mode && { mode: c.mode === 'add' ? ValueMode.ADD : ValueMode.REMOVE }) })),
    }),
  );
}

export function parseOperationLine(line: string): Operation {
  return fromJsonString(OperationSchema, line);
}

/** The twelve count and percent guards: a job's own value, or the default. */
const GUARDS = [
  'maxCreates', 'maxUpdates', 'maxDeletes', 'maxCreatePercent', 'maxUpdatePercent', 'maxDeletePercent',
  'maxLinkCreates', 'maxLinkUpdates', 'maxLinkDeletes', 'maxLinkCreatePercent', 'maxLinkUpdatePercent', 'maxLinkDeletePercent',
] as const;

/**
 * The planner's view of a job. Guards are on by default (see DEFAULT_THRESHOLDS): a job
 * has to say so explicitly to allow more.
 */
export function planningJob(job: JobSpec, baseDn: string): PlanningJob {
  const t = job.thresholds;
  const checks = job.checks;
  return {
    scoping: job.scoping.length
      ? { groups: job.scoping.map((g) => ({ clauses: g.clauses.map((c) => ({ attribute: c.attribute, operator: c.operator as ScopingOperator, value: c.value || undefined })) })) }
      : undefined,
    outOfScopeAction: job.outOfScopeAction === 'ignore' ? 'ignore' : 'deprovision',
    actions: Object.keys(job.actions).length ? (job.actions as PlanningJob['actions']) : undefined,
    checks: checks
      ? {
          keyCase: checks.keyCase === 'insensitive' ? 'insensitive' : 'sensitive',
          references: checks.references.map((attribute) => ({ attribute, mustResolveTo: 'sourceKey' as const })),
          requiredTargets: checks.requiredTargets,
          onError: checks.onError === 'skip' ? 'skip' : 'block',
        }
      : undefined,
    sourceKey: job.sourceKey,
    matching: job.matching.map((m) => ({ sourceAttribute: m.sourceAttribute, destinationAttribute: m.destinationAttribute, priority: m.priority })),
    mappings: job.mappings.map((m) => ({ target: m.target, expression: m.expression, onCreateOnly: m.onCreateOnly, multiValued: (m.multiValued || undefined) as PlanningJob['mappings'][number]['multiValued'], reference: m.reference })),
    memberships: job.memberships.map((r) => ({
      sourceAttribute: r.sourceAttribute,
      groupDnTemplate: r.groupDnTemplate,
      memberAttribute: r.memberAttribute || undefined,
      groupObjectClasses: r.groupObjectClasses.length ? r.groupObjectClasses : undefined,
      createGroups: r.createGroups,
      policy: r.policy === 'merge' ? 'merge' : 'replace',
    })),
    dnTemplate: job.dnTemplate,
    baseDn,
    objectClasses: job.objectClasses.length ? job.objectClasses : ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
    deprovision: job.deprovision === DeprovisionAction.DISABLE ? 'disable' : job.deprovision === DeprovisionAction.IGNORE ? 'ignore' : 'delete',
    disable: job.disable?.attribute ? { attribute: job.disable.attribute, value: job.disable.value } : undefined,
    thresholds: {
      ...Object.fromEntries(GUARDS.map((k) => [k, t?.[k] ?? DEFAULT_THRESHOLDS[k]])),
      allowEmptySource: t?.allowEmptySource ?? false,
    },
  };
}
