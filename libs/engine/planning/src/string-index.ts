/**
 * A hash table from string keys to positions (0, 1, 2, ...) in the caller's own arrays. It does
 * not hold the keys: `keyOf(position)` gives a stored key back when a lookup must confirm a hash
 * hit. So it costs 8 bytes a slot whatever the keys' length, where a Map holds every key string;
 * with a million DNs or anchors that is the difference between megabytes and hundreds of them.
 *
 * @example
 *   const dns = ['uid=a', 'uid=b'];
 *   const index = new StringIndex((i) => dns[i]);
 *   dns.forEach((dn, i) => index.set(dn, i));
 *   index.get('uid=b'); // 1
 *   index.get('uid=c'); // -1
 */
export class StringIndex {
  /** Position + 1 per slot; 0 is an empty slot. */
  private slots = new Int32Array(1024);
  private hashes = new Int32Array(1024);
  private size = 0;

  constructor(private readonly keyOf: (position: number) => string) {}

  /** The position stored for the key, or -1. */
  get(key: string): number {
    const hash = hashOf(key);
    const mask = this.slots.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i];
      if (slot === 0) return -1;
      if (this.hashes[i] === hash && this.keyOf(slot - 1) === key) return slot - 1;
    }
  }

  /** Stores a position for a key the index does not hold yet (check with get first). */
  set(key: string, position: number): void {
    if ((this.size + 1) * 2 > this.slots.length) this.grow();
    this.place(hashOf(key), position + 1);
    this.size++;
  }

  private place(hash: number, slot: number): void {
    const mask = this.slots.length - 1;
    let i = hash & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = slot;
    this.hashes[i] = hash;
  }

  private grow(): void {
    const { slots, hashes } = this;
    this.slots = new Int32Array(slots.length * 2);
    this.hashes = new Int32Array(slots.length * 2);
    for (let i = 0; i < slots.length; i++) if (slots[i] !== 0) this.place(hashes[i], slots[i]);
  }
}

/** FNV-1a over UTF-16 code units, finished with a multiply-xorshift so that close keys spread. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return h ^ (h >>> 16);
}
