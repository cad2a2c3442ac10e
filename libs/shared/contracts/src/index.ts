/**
 * @idsync/contracts — the one door between services: generated protobuf messages
 * (from proto/), the subject registry, the envelope and error codes.
 *
 * @example
 *   import { Subjects, seal, encodeEnvelope } from '@idsync/contracts';
 *   const body = encodeEnvelope(seal(Subjects.startRun, 'gateway', { jobId }, { correlationId: jobId }));
 */
export * from './subjects';
export * from './envelope';
export * from './errors';
export * from './gen/idsync/common/v1/envelope_pb';
export * from './gen/idsync/common/v1/attributes_pb';
export * from './gen/idsync/jobs/v1/job_pb';
export * from './gen/idsync/workflow/v1/workflow_pb';
export * from './gen/idsync/connector/v1/connector_pb';
export * from './gen/idsync/preparation/v1/preparation_pb';
export * from './gen/idsync/synchronization/v1/synchronization_pb';
export * from './gen/idsync/history/v1/history_pb';
export * from './gen/idsync/notification/v1/notification_pb';
export { create, toJson, fromJson, toJsonString, fromJsonString, clone } from '@bufbuild/protobuf';
export type { MessageInitShape, MessageShape, DescMessage } from '@bufbuild/protobuf';
