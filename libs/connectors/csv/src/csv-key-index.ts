import { randomInt } from 'node:crypto';

/**
 * The keys seen so far, to reject duplicates, in about 24 bytes a key whatever its length: each key is
 * kept only as a seeded 64-bit hash and its line number, in typed arrays (open addressing, load ≤ 1/2).
 * A `Map<string, number>` of a million 8-character keys costs about 150 MB of RSS once its growth and
 * the retained strings are counted; this costs 24-36 MB.
 *
 * A hash match is only a candidate: the caller confirms it by reading the earlier line again (duplicates
 * are errors, so that second pass is rare). Two different keys with the same 64-bit hash are possible,
 * so `collided` keeps those keys exactly. The seed is random per read, so a file cannot be crafted to
 * collide on purpose and force a re-read per row.
 */
export class KeyIndex {
  private hi = new Uint32Array(1024);
  private lo = new Uint32Array(1024);
  /** 0 marks an empty slot: file lines start at 1. */
  private lines = new Uint32Array(1024);
  private size = 0;
  /** Keys whose hash equals an earlier, different key's: key → its line. */
  readonly collided = new Map<string, number>();

  /** `hash` is replaceable so tests can force collisions. */
  constructor(private readonly hash: (key: string) => [number, number] = seededHash()) {}

  /** Records the key at `line`, or returns the line of an earlier key with the same hash (recording nothing). */
  addOrCandidate(key: string, line: number): number | undefined {
    const exact = this.collided.get(key);
    if (exact !== undefined) return exact;
    const [hi, lo] = this.hash(key);
    const mask = this.lines.length - 1;
    let slot = lo & mask;
    while (this.lines[slot] !== 0) {
      if (this.hi[slot] === hi && this.lo[slot] === lo) return this.lines[slot];
      slot = (slot + 1) & mask;
    }
    this.hi[slot] = hi;
    this.lo[slot] = lo;
    this.lines[slot] = line;
    if (++this.size * 2 > this.lines.length) this.grow();
    return undefined;
  }

  /** After a candidate turned out to be a different key: remember this one exactly. */
  addCollided(key: string, line: number): void {
    this.collided.set(key, line);
  }

  private grow(): void {
    const { hi, lo, lines } = this;
    const capacity = lines.length * 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.lines = new Uint32Array(capacity);
    const mask = capacity - 1;
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] === 0) continue;
      let slot = lo[i] & mask;
      while (this.lines[slot] !== 0) slot = (slot + 1) & mask;
      this.hi[slot] = hi[i];
      this.lo[slot] = lo[i];
      this.lines[slot] = lines[i];
    }
  }
}

/** FNV-1a and a multiplicative hash over UTF-16 code units, each with a random seed: 64 bits together. */
export function seededHash(): (key: string) => [number, number] {
  const seedHi = randomInt(2 ** 31);
  const seedLo = randomInt(2 ** 31);
  return (key) => {
    let a = 0x811c9dc5 ^ seedHi;
    let b = 0x9e3779b9 ^ seedLo;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    a ^= key.length;
    b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
    return [a >>> 0, (b ^ (b >>> 16)) >>> 0];
  };
}
