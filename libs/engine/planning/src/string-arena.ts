/**
 * Bytes per buffer at most: entries never straddle two, and a longer entry gets a buffer of its
 * own. Buffers start at 64 KB and double, so that a small plan does not take 4 MB.
 */
const CHUNK = 1 << 22;
const FIRST_CHUNK = 1 << 16;
const CHUNK_DOUBLINGS = 6;
const HEADER = 4;
const WIDE = /[^\x00-\xff]/;

/**
 * Strings kept outside the JavaScript heap, end to end in 4 MB buffers, at one byte per character
 * when every character fits (two otherwise). add() gives a number to get() the string back with.
 * A million DNs or packed values then cost their characters and 4 bytes each, instead of a heap
 * object each that the garbage collector walks over and over; and a string held at two bytes per
 * character only because of how it was built (normalize('NFD') leaves that behind) is stored at one.
 *
 * @example
 *   const arena = new StringArena();
 *   const at = arena.add('uid=zoe.angstrom,ou=people,dc=example,dc=org');
 *   arena.get(at); // 'uid=zoe.angstrom,ou=people,dc=example,dc=org'
 */
export class StringArena {
  private readonly chunks: Buffer[] = [];
  private used = 0;
  private size = 0;

  add(s: string): number {
    const wide = WIDE.test(s);
    const bytes = HEADER + (wide ? 2 * s.length : s.length);
    if (bytes > CHUNK) {
      // Its own buffer, at offset 0 of its own chunk number.
      const own = Buffer.allocUnsafeSlow(bytes);
      this.chunks.push(own);
      this.used = this.size = 0;
      write(own, 0, s, wide);
      return (this.chunks.length - 1) * CHUNK;
    }
    if (this.used + bytes > this.size) {
      this.size = Math.max(bytes, FIRST_CHUNK << Math.min(this.chunks.length, CHUNK_DOUBLINGS));
      this.chunks.push(Buffer.allocUnsafeSlow(this.size));
      this.used = 0;
    }
    const at = (this.chunks.length - 1) * CHUNK + this.used;
    write(this.chunks[this.chunks.length - 1], this.used, s, wide);
    this.used += bytes;
    return at;
  }

  get(at: number): string {
    const chunk = this.chunks[Math.floor(at / CHUNK)];
    const offset = at % CHUNK;
    const header = chunk.readUInt32LE(offset);
    const length = header >>> 1;
    const start = offset + HEADER;
    return header & 1 ? chunk.toString('utf16le', start, start + 2 * length) : chunk.toString('latin1', start, start + length);
  }
}

/** The header holds the length in characters and, in its lowest bit, whether they take two bytes. */
function write(chunk: Buffer, offset: number, s: string, wide: boolean): void {
  chunk.writeUInt32LE(s.length * 2 + (wide ? 1 : 0), offset);
  chunk.write(s, offset + HEADER, wide ? 'utf16le' : 'latin1');
}
