import type { Attributes, ConnectorObject } from '@idsync/connector-core';
import { normalizeDn } from '@idsync/connector-ldap';
import type { Entry } from 'ldapts';
import { parseRangedName, type RangedName } from './ad-range';
import { guidToString, sidToString } from './ad-values';

/** Attributes ldapts must hand back as bytes even when they happen to decode as UTF-8. */
export const BUFFER_ATTRIBUTES = ['objectGUID', 'objectSid'];

/** Bytes that have a text form every AD tool shows; other binary attributes are skipped. */
const AS_TEXT: Record<string, (b: Buffer) => string> = { objectguid: guidToString, objectsid: sidToString };

/**
 * Never in a snapshot: unicodePwd cannot be read anyway, and the rest are hashes and keys that
 * have no business in blobs, events and history.
 */
const SECRET = new Set(['unicodepwd', 'userpassword', 'password', 'dbcspwd', 'ntpwdhistory', 'lmpwdhistory', 'supplementalcredentials']);

/** A multi-valued attribute the DC cut short: the values so far and where they stop. */
export interface PendingRange {
  attribute: string;
  values: string[];
  range: RangedName;
}

/**
 * An AD entry as a ConnectorObject: the key is the DN in normalizeDn's spelling, the anchor the
 * objectGUID as a canonical GUID string. A ranged attribute (`member;range=0-1499`) is stored
 * under its plain name and listed in `pending` so the caller can fetch the remaining ranges.
 * Attribute names are spelled as requested when the read named them, otherwise as the DC spells
 * them; compare them case-insensitively.
 */
export function toAdObject(entry: Entry, requested?: string[]): { object: ConnectorObject; pending: PendingRange[] } {
  const spelling = new Map((requested ?? []).map((a) => [a.toLowerCase(), a]));
  const attributes: Attributes = {};
  const pending: PendingRange[] = [];
  let anchor = '';
  for (const [rawName, raw] of Object.entries(entry)) {
    if (rawName === 'dn' || rawName === '*') continue;
    const range = parseRangedName(rawName);
    const name = range?.attribute ?? rawName;
    const lower = name.toLowerCase();
    const values = Array.isArray(raw) ? raw : [raw];
    if (lower === 'objectguid' && Buffer.isBuffer(values[0])) anchor = guidToString(values[0]);
    if (SECRET.has(lower) || !values.length) continue;
    if (requested && !spelling.has(lower)) {
      // objectGUID is always fetched for the anchor; it is an attribute only when asked for.
      if (lower === 'objectguid') continue;
    }
    let text: string[];
    if (AS_TEXT[lower]) text = values.map((v) => AS_TEXT[lower](Buffer.isBuffer(v) ? v : Buffer.from(v)));
    // ldapts hands back a Buffer for any value that is not valid UTF-8: binary, whatever its name.
    else if (values.some((v) => typeof v !== 'string')) continue;
    else text = values as string[];
    const key = spelling.get(lower) ?? name;
    attributes[key] = text;
    if (range && range.end !== undefined) pending.push({ attribute: key, values: text, range });
  }
  return { object: { key: normalizeDn(entry.dn), anchor, attributes }, pending };
}
