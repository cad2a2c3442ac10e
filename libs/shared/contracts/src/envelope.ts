import { create, fromJsonString, toJsonString, type DescMessage, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import { randomUUID } from 'node:crypto';
import { EnvelopeSchema, type Envelope } from './gen/idsync/common/v1/envelope_pb';
import type { SubjectDef } from './subjects';

export const SCHEMA_VERSION = 1;

export interface EnvelopeMeta {
  /** The run (or request) this message belongs to. */
  correlationId: string;
  /** The message that caused this one. */
  causationId?: string;
  id?: string;
  occurredAt?: Date;
  /** W3C traceparent of the writer's span. */
  traceparent?: string;
}

/** Builds the envelope of a message on `def`; the payload is checked against the subject's schema. */
export function seal<S extends DescMessage>(
  def: SubjectDef<S, DescMessage | undefined>,
  source: string,
  payload: MessageInitShape<S>,
  meta: EnvelopeMeta,
): Envelope {
  const message = create(def.schema, payload);
  return create(EnvelopeSchema, {
    id: meta.id ?? randomUUID(),
    type: def.subject,
    occurredAt: (meta.occurredAt ?? new Date()).toISOString(),
    correlationId: meta.correlationId,
    causationId: meta.causationId ?? '',
    source,
    schemaVersion: SCHEMA_VERSION,
    payloadJson: toJsonString(def.schema, message),
    traceparent: meta.traceparent ?? '',
  });
}

export function encodeEnvelope(envelope: Envelope): string {
  return toJsonString(EnvelopeSchema, envelope);
}

/** Parses a message body; throws ContractError (permanent: retrying will not help). */
export function decodeEnvelope(body: string): Envelope {
  try {
    return fromJsonString(EnvelopeSchema, body);
  } catch (e) {
    throw new ContractError(`not an idsync envelope: ${(e as Error).message}`);
  }
}

export function openPayload<S extends DescMessage>(def: SubjectDef<S, DescMessage | undefined>, envelope: Envelope): MessageShape<S> {
  if (envelope.type !== def.subject) {
    throw new ContractError(`expected ${def.subject}, got ${envelope.type}`);
  }
  try {
    return fromJsonString(def.schema, envelope.payloadJson, { ignoreUnknownFields: true });
  } catch (e) {
    throw new ContractError(`payload of ${def.subject} does not match its schema: ${(e as Error).message}`);
  }
}

/** A message that can never be handled (bad shape): goes to dead letters at once. */
export class ContractError extends Error {
  readonly code = 'MESSAGING.CONTRACT_VIOLATION';
}
