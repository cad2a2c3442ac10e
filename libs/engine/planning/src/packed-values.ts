import { IGNORE_FLOW } from '@idsync/expressions';
import type { MappedValues } from './mapping';

/**
 * One source object's mapped values (one entry per mapping), held as one string: a header of one
 * character per mapping (how many values it has, or IGNORE for IGNORE_FLOW) and one per value
 * (its length), then the values end to end. An array of arrays costs some 400 bytes per object
 * before the first character; the string costs its characters. Header characters stay below 256
 * so that the string can be stored at one byte per character; an object with more than 254 values
 * of one attribute or a value longer than 255 characters keeps its arrays (rare).
 */
export type PackedValues = string | MappedValues[];

const IGNORE = 255;
const MAX = 254;

export function packValues(values: MappedValues[]): PackedValues {
  let head = '';
  for (const v of values) {
    if (v === IGNORE_FLOW) {
      head += String.fromCharCode(IGNORE);
      continue;
    }
    if (v.length > MAX) return values;
    head += String.fromCharCode(v.length);
    for (const x of v) {
      if (x.length > MAX + 1) return values;
      head += String.fromCharCode(x.length);
    }
  }
  // join() gives one flat string; repeated += would leave a tree of string pieces behind.
  const parts = [head];
  for (const v of values) if (v !== IGNORE_FLOW) for (const x of v) parts.push(x);
  return parts.join('');
}

/** The values of every mapping, as packValues received them. */
export function unpackValues(packed: PackedValues, mappings: number): MappedValues[] {
  if (typeof packed !== 'string') return packed;
  const out = new Array<MappedValues>(mappings);
  // The body starts after the header: one character per mapping and one per value.
  let body = 0;
  for (let i = 0; i < mappings; i++) {
    const n = packed.charCodeAt(body++);
    if (n !== IGNORE) body += n;
  }
  let head = 0;
  for (let i = 0; i < mappings; i++) {
    const n = packed.charCodeAt(head++);
    if (n === IGNORE) {
      out[i] = IGNORE_FLOW;
      continue;
    }
    const v = new Array<string>(n);
    for (let k = 0; k < n; k++) {
      const length = packed.charCodeAt(head++);
      v[k] = packed.slice(body, body + length);
      body += length;
    }
    out[i] = v;
  }
  return out;
}
