/**
 * The one subject registry. Every event, command and request idsync puts on the bus is
 * declared here with the protobuf message it carries, so publishing the wrong payload on
 * a subject is a compile error, and a subscriber outside the project reads the same list
 * (docs/asyncapi.yaml is generated from it by `npm run generate:asyncapi`).
 *
 * - events:   idsync.<context>.<entity>.<past-tense-verb>.v1 — facts, on JetStream
 * - commands: idsync.<context>.<verb>.v1 — asks, on JetStream (durable, at least once)
 * - requests: idsync.<context>.<verb>.v1 — asks that need an answer now (core NATS
 *   request/reply); the gateway uses them for its REST API.
 *
 * @example
 *   await outbox.add(manager, Subjects.runCompleted, { run, previousState }, { correlationId: run.id });
 */
import type { DescMessage } from '@bufbuild/protobuf';
import * as conn from './gen/idsync/connector/v1/connector_pb';
import * as jobs from './gen/idsync/jobs/v1/job_pb';
import * as prep from './gen/idsync/preparation/v1/preparation_pb';
import * as sync from './gen/idsync/synchronization/v1/synchronization_pb';
import * as hist from './gen/idsync/history/v1/history_pb';
import * as notif from './gen/idsync/notification/v1/notification_pb';
import * as wf from './gen/idsync/workflow/v1/workflow_pb';

export type SubjectKind = 'event' | 'command' | 'request';

export interface SubjectDef<S extends DescMessage = DescMessage, R extends DescMessage | undefined = undefined> {
  readonly subject: string;
  readonly kind: SubjectKind;
  /** The service that publishes it (events) or handles it (commands, requests). */
  readonly owner: ServiceName;
  readonly schema: S;
  /** The answer's schema (requests only). */
  readonly reply: R;
  readonly description: string;
}

export type ServiceName =
  | 'gateway'
  | 'connector'
  | 'preparation'
  | 'synchronization'
  | 'workflow'
  | 'history'
  | 'notification';

function event<S extends DescMessage>(subject: string, owner: ServiceName, schema: S, description: string): SubjectDef<S> {
  return { subject, kind: 'event', owner, schema, reply: undefined, description };
}
function command<S extends DescMessage>(subject: string, owner: ServiceName, schema: S, description: string): SubjectDef<S> {
  return { subject, kind: 'command', owner, schema, reply: undefined, description };
}
function request<S extends DescMessage, R extends DescMessage>(
  subject: string,
  owner: ServiceName,
  schema: S,
  reply: R,
  description: string,
): SubjectDef<S, R> {
  return { subject, kind: 'request', owner, schema, reply, description };
}

export const Subjects = {
  // workflow: jobs, runs, approvals, reviews
  saveJob: request('idsync.workflow.save-job.v1', 'workflow', wf.SaveJobSchema, jobs.JobSpecSchema, 'Create or replace a job.'),
  getJob: request('idsync.workflow.get-job.v1', 'workflow', wf.GetJobSchema, jobs.JobSpecSchema, 'Read one job.'),
  listJobs: request('idsync.workflow.list-jobs.v1', 'workflow', wf.ListJobsSchema, wf.JobListSchema, 'List jobs.'),
  startRun: request('idsync.workflow.start-run.v1', 'workflow', wf.StartRunSchema, wf.RunSchema, 'Start a run or a preview of a job.'),
  decideRun: request('idsync.workflow.decide-run.v1', 'workflow', wf.DecideRunSchema, wf.RunSchema, 'Approve, deny, resume or cancel a run.'),
  getRun: request('idsync.workflow.get-run.v1', 'workflow', wf.GetRunSchema, wf.RunSchema, 'Read one run with its counters.'),
  getRunLog: request('idsync.workflow.get-run-log.v1', 'workflow', wf.GetRunLogSchema, wf.RunLogSchema, 'The log of one run: each step, when, and why.'),
  listRuns: request('idsync.workflow.list-runs.v1', 'workflow', wf.ListRunsSchema, wf.RunListSchema, 'List the runs of a job.'),
  runCreated: event('idsync.workflow.run.created.v1', 'workflow', wf.RunChangedSchema, 'A run was asked for.'),
  runApprovalRequested: event('idsync.workflow.run.approval-requested.v1', 'workflow', wf.RunChangedSchema, 'A run waits for an approver.'),
  runApproved: event('idsync.workflow.run.approved.v1', 'workflow', wf.RunChangedSchema, 'An approver approved a run.'),
  runDenied: event('idsync.workflow.run.denied.v1', 'workflow', wf.RunChangedSchema, 'An approver denied a run; it never runs.'),
  runBlocked: event('idsync.workflow.run.blocked.v1', 'workflow', wf.RunChangedSchema, 'A plan exceeded a threshold; nothing was written.'),
  runResumed: event('idsync.workflow.run.resumed.v1', 'workflow', wf.RunChangedSchema, 'A reviewer resumed a blocked run.'),
  runCancelled: event('idsync.workflow.run.cancelled.v1', 'workflow', wf.RunChangedSchema, 'A run was cancelled.'),
  runPreviewed: event('idsync.workflow.run.previewed.v1', 'workflow', wf.RunChangedSchema, 'A preview computed its plan.'),
  runCompleted: event('idsync.workflow.run.completed.v1', 'workflow', wf.RunChangedSchema, 'A run applied its plan.'),
  runFailed: event('idsync.workflow.run.failed.v1', 'workflow', wf.RunChangedSchema, 'A run stopped on an error.'),

  // connector: connections, exports, writes
  saveConnection: request('idsync.connector.save-connection.v1', 'connector', conn.SaveConnectionSchema, jobs.ConnectionSpecSchema, 'Register or replace a connection; secrets are stored encrypted.'),
  getConnection: request('idsync.connector.get-connection.v1', 'connector', conn.GetConnectionSchema, jobs.ConnectionSpecSchema, 'Read one connection (never its secrets).'),
  listConnections: request('idsync.connector.list-connections.v1', 'connector', conn.ListConnectionsSchema, conn.ConnectionListSchema, 'List connections.'),
  discoverSchema: request('idsync.connector.discover-schema.v1', 'connector', conn.DiscoverSchemaSchema, conn.ConnectorSchemaSchema, "Read a connection's object types and attributes from its system."),
  exportSnapshot: command('idsync.connector.export-snapshot.v1', 'connector', conn.ExportSnapshotSchema, 'Read a full snapshot of a connection into the blob store.'),
  snapshotExported: event('idsync.connector.snapshot.exported.v1', 'connector', conn.SnapshotExportedSchema, 'A snapshot was read completely.'),
  snapshotFailed: event('idsync.connector.snapshot.failed.v1', 'connector', conn.SnapshotFailedSchema, 'A snapshot could not be read completely.'),
  applyBatch: command('idsync.connector.apply-batch.v1', 'connector', conn.ApplyBatchSchema, 'Apply a batch of operations to a destination.'),
  batchApplied: event('idsync.connector.batch.applied.v1', 'connector', conn.BatchAppliedSchema, 'A batch was tried; one result per operation.'),

  // preparation: the plan
  preparePlan: command('idsync.preparation.prepare-plan.v1', 'preparation', prep.PreparePlanSchema, 'Cleanse, validate, map, match and plan.'),
  planComputed: event('idsync.preparation.plan.computed.v1', 'preparation', prep.PlanComputedSchema, 'A plan is ready (with any threshold violations).'),
  planFailed: event('idsync.preparation.plan.failed.v1', 'preparation', prep.PlanFailedSchema, 'The input was bad; nothing was planned.'),
  getOrphans: request('idsync.preparation.get-orphans.v1', 'preparation', prep.GetOrphansSchema, prep.OrphanPageSchema, 'Destination objects no source object claims, per run.'),
  getPlan: request('idsync.preparation.get-plan.v1', 'preparation', prep.GetPlanSchema, prep.PlanPageSchema, 'Read a page of a run\'s plan.'),

  // synchronization: applying the plan
  applyPlan: command('idsync.synchronization.apply-plan.v1', 'synchronization', sync.ApplyPlanSchema, 'Apply a computed plan through the connector service.'),
  objectChanged: event('idsync.synchronization.object.changed.v1', 'synchronization', sync.ObjectChangedSchema, 'One change was applied to a destination object.'),
  planProgressed: event('idsync.synchronization.plan.progressed.v1', 'synchronization', sync.PlanAppliedSchema, 'Counters while a plan is applied.'),
  planApplied: event('idsync.synchronization.plan.applied.v1', 'synchronization', sync.PlanAppliedSchema, 'Every operation of a plan has a final result.'),
  planApplyFailed: event('idsync.synchronization.plan.failed.v1', 'synchronization', sync.PlanApplyFailedSchema, 'A plan could not be applied.'),
  exportLinks: command('idsync.synchronization.export-links.v1', 'synchronization', sync.ExportLinksSchema, 'Write the known links of a job (source key to destination anchor) to the blob store.'),
  linksExported: event('idsync.synchronization.links.exported.v1', 'synchronization', sync.LinksExportedSchema, 'A job\'s links are ready for preparation.'),
  getResults: request('idsync.synchronization.get-results.v1', 'synchronization', sync.GetResultsSchema, sync.ResultPageSchema, 'Per-object results of a run.'),

  // history
  queryChanges: request('idsync.history.query-changes.v1', 'history', hist.QueryChangesSchema, hist.ChangePageSchema, 'Query the change record.'),

  // notification
  emailSent: event('idsync.notification.email.sent.v1', 'notification', notif.EmailSentSchema, 'A run summary was emailed.'),
} as const;

export type SubjectName = keyof typeof Subjects;
export type AnySubject = (typeof Subjects)[SubjectName];

/** Subject of the dead letters of one consumer: messages given up on, with the reason. */
export function deadLetterSubject(consumer: string): string {
  return `idsync.deadletter.${consumer}.v1`;
}

const bySubject = new Map<string, AnySubject>(Object.values(Subjects).map((d) => [d.subject, d]));

export function subjectDef(subject: string): AnySubject | undefined {
  return bySubject.get(subject);
}
