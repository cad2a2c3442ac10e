import { open, readFile } from 'node:fs/promises';
import { crc32, deflateRawSync } from 'node:zlib';
import { inflateEntry, readCentralDirectory } from '../zip-directory';

/** A part to put in a hand-built zip; `declaredSize` lies about the uncompressed size in the directory. */
export interface FixturePart {
  name: string;
  data: Buffer;
  declaredSize?: number;
}

/** Every part of a zip file, inflated (test files only: no limits). */
export async function unzipParts(path: string): Promise<FixturePart[]> {
  const size = (await readFile(path)).length;
  const handle = await open(path, 'r');
  try {
    const entries = await readCentralDirectory(handle, size);
    const parts: FixturePart[] = [];
    for (const e of entries) parts.push({ name: e.name, data: (await inflateEntry(handle, e, Number.MAX_SAFE_INTEGER)).data });
    return parts;
  } finally {
    await handle.close();
  }
}

/** A zip container written by hand: deflated local entries, the central directory, the end record. */
export function zipParts(parts: FixturePart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const body = deflateRawSync(part.data);
    const crc = crc32(part.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(part.declaredSize ?? part.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(part.declaredSize ?? part.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
