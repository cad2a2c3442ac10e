import { Objm, type ObjectStore } from '@nats-io/obj';
import type { NatsConnection } from '@nats-io/nats-core';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { readLines, spool, type BlobLocation, type BlobStore } from './blob-store';

/** Blobs in the JetStream object store (distributed mode): chunked, replicated with the stream. */
export class NatsBlobStore implements BlobStore {
  private readonly stores = new Map<string, Promise<ObjectStore>>();

  constructor(private readonly nc: NatsConnection, private readonly prefix = '') {}

  async write(bucket: string, name: string, lines: AsyncIterable<string> | Iterable<string>): Promise<BlobLocation> {
    const s = await spool(lines);
    try {
      const os = await this.store(bucket);
      const body = Readable.toWeb(createReadStream(s.path)) as unknown as ReadableStream<Uint8Array>;
      await os.put({ name }, body);
      return { bucket, name, records: s.records, sha256: s.sha256 };
    } finally {
      await rm(s.path, { force: true });
    }
  }

  async *read(ref: { bucket: string; name: string }): AsyncIterable<string> {
    const os = await this.store(ref.bucket);
    const r = await os.get(ref.name);
    if (!r) throw new Error(`blob ${ref.bucket}/${ref.name} does not exist`);
    yield* readLines(Readable.fromWeb(r.data as unknown as WebReadableStream<Uint8Array>));
    if (!(await r.error)) return;
    throw await r.error;
  }

  async remove(ref: { bucket: string; name: string }): Promise<void> {
    const os = await this.store(ref.bucket);
    await os.delete(ref.name);
  }

  /** Deletes the buckets this store used (tests clean up). */
  async destroy(): Promise<void> {
    for (const p of this.stores.values()) await (await p).destroy();
  }

  private store(bucket: string): Promise<ObjectStore> {
    const full = `${this.prefix}${bucket}`.replace(/[^A-Za-z0-9_-]/g, '_');
    let p = this.stores.get(full);
    if (!p) {
      p = new Objm(this.nc).create(full);
      this.stores.set(full, p);
    }
    return p;
  }
}
