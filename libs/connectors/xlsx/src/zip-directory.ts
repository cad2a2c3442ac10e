import type { FileHandle } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';

/** One file inside a zip, as its central directory declares it. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export class ZipFormatError extends Error {}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;
/** A workbook has dozens of parts; a directory bigger than this is hostile, and is never read into memory. */
const MAX_DIRECTORY_BYTES = 8 * 1024 * 1024;

/**
 * Reads the zip's central directory: the end-of-central-directory record sits in the last
 * 22 + 65535 bytes, and points at the directory. Nothing is inflated. Zip64 archives are refused
 * (a workbook needs one only beyond 4 GB or 65535 parts, far past any limit here).
 */
export async function readCentralDirectory(handle: FileHandle, fileSize: number): Promise<ZipEntry[]> {
  const tailLength = Math.min(fileSize, EOCD_MIN + MAX_COMMENT);
  const tail = await readAt(handle, fileSize - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - EOCD_MIN; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('no zip end-of-central-directory record: not an .xlsx file, or truncated');
  const count = tail.readUInt16LE(eocd + 10);
  const size = tail.readUInt32LE(eocd + 12);
  const offset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw new ZipFormatError('a Zip64 archive (over 4 GB or 65535 parts) is not a plausible workbook');
  if (size > MAX_DIRECTORY_BYTES || offset + size > fileSize) throw new ZipFormatError(`the zip directory (${size} bytes at ${offset}) is implausible`);
  const dir = await readAt(handle, offset, size);
  const entries: ZipEntry[] = [];
  for (let p = 0; entries.length < count; ) {
    if (p + 46 > dir.length || dir.readUInt32LE(p) !== CENTRAL_SIGNATURE) throw new ZipFormatError('the zip directory is corrupt');
    const nameLength = dir.readUInt16LE(p + 28);
    const uncompressedSize = dir.readUInt32LE(p + 24);
    const compressedSize = dir.readUInt32LE(p + 20);
    if (uncompressedSize === 0xffffffff || compressedSize === 0xffffffff) throw new ZipFormatError('a Zip64 entry (over 4 GB) is not a plausible workbook part');
    entries.push({
      name: dir.toString('utf8', p + 46, p + 46 + nameLength),
      method: dir.readUInt16LE(p + 10),
      compressedSize,
      uncompressedSize,
      localHeaderOffset: dir.readUInt32LE(p + 42),
    });
    p += 46 + nameLength + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32);
  }
  return entries;
}

/**
 * Inflates at most `maxBytes` of an entry, streaming: memory stays at `maxBytes` whatever the
 * entry claims. `truncated` says the entry had more (it may be lying in the directory). With `keep`
 * false the output is only counted, so a whole part can be measured in fixed memory.
 */
export async function inflateEntry(handle: FileHandle, entry: ZipEntry, maxBytes: number, keep = true): Promise<{ data: Buffer; truncated: boolean }> {
  const local = await readAt(handle, entry.localHeaderOffset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new ZipFormatError(`the zip entry ${entry.name} is corrupt`);
  const start = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (entry.method === 0) {
    const data = await readAt(handle, start, Math.min(entry.compressedSize, maxBytes));
    return { data, truncated: entry.compressedSize > maxBytes };
  }
  if (entry.method !== 8) throw new ZipFormatError(`the zip entry ${entry.name} uses compression method ${entry.method}; workbooks use deflate`);
  const inflate = createInflateRaw();
  const chunks: Buffer[] = [];
  let total = 0;
  let truncated = false;
  const feed = (async () => {
    // Fed in slices so a bomb is stopped after at most one slice's worth of output past the cap.
    for (let pos = 0; pos < entry.compressedSize && !inflate.destroyed && !truncated; pos += 64 * 1024) {
      const slice = await readAt(handle, start + pos, Math.min(64 * 1024, entry.compressedSize - pos));
      if (!inflate.write(slice)) {
        await new Promise<void>((resolve) => {
          inflate.once('drain', resolve);
          inflate.once('close', resolve);
        });
      }
    }
    if (!inflate.destroyed) inflate.end();
  })();
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      if (keep) chunks.push(chunk);
      total += chunk.length;
      if (total > maxBytes) {
        truncated = true;
        break;
      }
    }
  } catch (e) {
    throw new ZipFormatError(`the zip entry ${entry.name} does not inflate: ${(e as Error).message}`);
  } finally {
    inflate.destroy();
    await feed.catch(() => undefined);
  }
  const data = Buffer.concat(chunks);
  return { data: truncated ? data.subarray(0, maxBytes) : data, truncated };
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}
