import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { once } from 'node:events';

/** Where a blob is: the same shape as the BlobRef contract message. */
export interface BlobLocation {
  bucket: string;
  name: string;
  records: number;
  sha256: string;
}

/**
 * Large data (a snapshot of a million rows, a plan) never travels as one message: it is
 * written as NDJSON to a blob store and the event carries its location. Writing and
 * reading stream line by line, so memory stays bounded.
 *
 * @example
 *   const ref = await blobs.write('snapshots', `${runId}/source.ndjson`, rows());
 *   for await (const line of blobs.read(ref)) JSON.parse(line);
 */
export interface BlobStore {
  write(bucket: string, name: string, lines: AsyncIterable<string> | Iterable<string>): Promise<BlobLocation>;
  read(ref: { bucket: string; name: string }): AsyncIterable<string>;
  remove(ref: { bucket: string; name: string }): Promise<void>;
}

/** Writes lines to a temporary file, returning its path, line count and SHA-256. */
export async function spool(lines: AsyncIterable<string> | Iterable<string>, dir = tmpdir()): Promise<{ path: string; records: number; sha256: string }> {
  const path = join(dir, `idsync-${randomUUID()}.ndjson.part`);
  const out = createWriteStream(path);
  const hash = createHash('sha256');
  let records = 0;
  try {
    for await (const line of lines) {
      const chunk = line + '\n';
      hash.update(chunk);
      records++;
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  } catch (e) {
    out.destroy();
    await rm(path, { force: true });
    throw e;
  }
  return { path, records, sha256: hash.digest('hex') };
}

export async function* readLines(stream: Readable): AsyncIterable<string> {
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of rl) if (line.length) yield line;
}

/** Blobs as files in a folder (embedded mode). A blob appears whole or not at all (rename). */
export class FsBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  async write(bucket: string, name: string, lines: AsyncIterable<string> | Iterable<string>): Promise<BlobLocation> {
    const dir = join(this.root, bucket);
    await mkdir(dir, { recursive: true });
    const s = await spool(lines, dir);
    const target = this.path(bucket, name);
    await mkdir(join(target, '..'), { recursive: true });
    await rename(s.path, target);
    return { bucket, name, records: s.records, sha256: s.sha256 };
  }

  async *read(ref: { bucket: string; name: string }): AsyncIterable<string> {
    const p = this.path(ref.bucket, ref.name);
    await stat(p);
    yield* readLines(createReadStream(p));
  }

  async remove(ref: { bucket: string; name: string }): Promise<void> {
    await rm(this.path(ref.bucket, ref.name), { force: true });
  }

  private path(bucket: string, name: string): string {
    if (name.includes('..')) throw new Error(`bad blob name ${name}`);
    return join(this.root, bucket, name);
  }
}

/** Lines offset..offset+limit of a blob, read as a stream (nothing before the page is kept). */
export async function readBlobPage(store: BlobStore, ref: { bucket: string; name: string }, offset: number, limit: number): Promise<string[]> {
  const page: string[] = [];
  let i = 0;
  for await (const line of store.read(ref)) {
    if (i++ < offset) continue;
    page.push(line);
    if (page.length >= limit) break;
  }
  return page;
}
