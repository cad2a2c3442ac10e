import type { BlobStore, Transport } from '@idsync/messaging';

/**
 * What a service is given to run on: the bus, the blob store and its database. In
 * distributed mode each process builds its own (JetStream, object store, Postgres); the
 * embedded launcher builds one and hands it to all seven.
 */
export interface Platform {
  transport: Transport;
  blobs: BlobStore;
  databaseUrl: string;
  /** True on embedded Postgres: one backend session, so all database work is serialized. */
  embedded: boolean;
  /** Extra pino fields, e.g. the process role. */
  logLevel?: string;
}

export const PLATFORM = Symbol('PLATFORM');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
export const LOGGER = Symbol('LOGGER');
export const BLOBS = Symbol('BLOBS');
