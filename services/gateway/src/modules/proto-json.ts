import { create, fromJson, IdsyncError, toJson, type DescMessage, type MessageShape } from '@idsync/contracts';

/** Reads a request body as the protobuf JSON of `schema`; unknown or mistyped fields are a 400 naming them. */
export function parseBody<S extends DescMessage>(schema: S, body: unknown): MessageShape<S> {
  try {
    return fromJson(schema, (body ?? {}) as never);
  } catch (e) {
    throw new IdsyncError('REQUEST.INVALID', `the request body is not a valid ${schema.name}: ${(e as Error).message}`);
  }
}

/** The JSON form of a message as the API returns it (camelCase fields, enum names). */
export function json<S extends DescMessage>(schema: S, message: MessageShape<S>): unknown {
  return toJson(schema, create(schema, message as never), { alwaysEmitImplicit: true });
}
