import type { Attributes, ConnectorObject } from '@idsync/connector-core';
import type { Entry } from 'ldapts';
import { normalizeDn } from './ldap-escape';

/** Attributes whose values are bytes, not text; skipped even when they happen to decode as UTF-8. */
const BINARY = new Set(['jpegphoto', 'photo', 'audio', 'usercertificate', 'cacertificate', 'crosscertificatepair', 'certificaterevocationlist', 'authorityrevocationlist', 'usersmimecertificate', 'userpkcs12', 'objectguid', 'objectsid']);

/**
 * Password hashes stay in the directory unless a read names them: a snapshot is copied into
 * blobs, events and history, where a hash has no business being.
 */
const SECRET = new Set(['userpassword']);

/** DN-valued group attributes; uniqueMember's optional `#'0101'B` suffix leaves a value as it is. */
const MEMBER = new Set(['member', 'uniquemember']);

/**
 * An LDAP entry as a ConnectorObject: the key is the DN in normalizeDn's spelling, the anchor
 * the entryUUID. Attribute names are spelled as the caller requested them when it named
 * attributes, otherwise as the server spells them (slapd uses the schema's names: `givenName`,
 * `objectClass`, whatever case they were written in). Either way, compare names case-insensitively.
 */
export function toConnectorObject(entry: Entry, requested?: string[]): ConnectorObject {
  const spelling = new Map((requested ?? []).map((a) => [a.toLowerCase(), a]));
  const attributes: Attributes = {};
  let anchor = '';
  for (const [name, raw] of Object.entries(entry)) {
    const lower = name.toLowerCase();
    if (lower === 'dn' || name === '*') continue;
    const values = Array.isArray(raw) ? raw : [raw];
    if (lower === 'entryuuid') {
      anchor = typeof values[0] === 'string' ? values[0] : '';
      if (!spelling.has(lower)) continue;
    }
    if (BINARY.has(lower.replace(/;binary$/, '')) || /;binary$/.test(lower)) continue;
    if (SECRET.has(lower) && !spelling.has(lower)) continue;
    // ldapts hands back a Buffer for any value that is not valid UTF-8: binary, whatever its name.
    if (!values.length || values.some((v) => typeof v !== 'string')) continue;
    // Member DNs in the same spelling as keys, so that a group's members can be matched to the entries read.
    const text = MEMBER.has(lower) ? (values as string[]).map((v) => (/#'[01]*'B$/.test(v) ? v : normalizeDn(v))) : (values as string[]);
    attributes[spelling.get(lower) ?? name] = text;
  }
  return { key: normalizeDn(entry.dn), anchor, attributes };
}
