/**
 * Lenient readers for JSON from SCIM servers and clients: attribute names in any case, one value
 * where an array belongs, booleans as the strings "True"/"False" (Entra's documented quirk).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value of `key` in `obj`, matched case-insensitively (RFC 7643 §2.1: names are case-insensitive). */
export function pick(obj: unknown, key: string): Json | undefined {
  if (!isObject(obj)) return undefined;
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  const found = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : obj[found];
}

/** A multi-valued attribute as an array, whether the sender sent an array, one value or nothing. */
export function asArray(v: Json | undefined): Json[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** true/false from a JSON boolean or the strings "true"/"false" in any case; undefined otherwise. */
export function parseBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return undefined;
}

/** A scalar as the connector's string value; objects and empty strings are no value. */
export function text(v: Json | undefined): string | undefined {
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** A `{ value: x }` reference (manager, member) or a bare value, as x. */
export function refValue(v: Json | undefined): string | undefined {
  return isObject(v) ? text(pick(v, 'value')) : text(v);
}
