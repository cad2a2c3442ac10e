/**
 * Distinguished names (RFC 4514). Values put into a DN are escaped, so that a name such as
 * "Smith, John" or "+admin" can never add a component or change where an object lives.
 */

const SPECIAL = new Set(['"', '+', ',', ';', '<', '>', '\\']);

/**
 * Escapes an attribute value for use in a DN, as RFC 4514 section 2.4 requires: the special
 * characters, a leading space or '#', a trailing space, and NUL. Control characters are hex-escaped
 * too, so a DN never carries a line break into a log or an LDIF file.
 *
 * @example
 *   escapeDnValue('Smith, John'); // 'Smith\\, John'
 *   escapeDnValue('#1 '); // '\\#1\\ '
 */
export function escapeDnValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    const code = c.charCodeAt(0);
    if (code < 0x20 || code === 0x7f) out += `\\${code.toString(16).padStart(2, '0')}`;
    else if (SPECIAL.has(c)) out += `\\${c}`;
    else if (i === 0 && (c === ' ' || c === '#')) out += `\\${c}`;
    else if (i === value.length - 1 && c === ' ') out += '\\ ';
    else out += c;
  }
  return out;
}

/** The RDNs of a DN, split on unescaped commas and trimmed. */
export function splitDn(dn: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i];
    if (c === '\\' && i + 1 < dn.length) {
      current += c + dn[i + 1];
      i++;
    } else if (c === ',') {
      parts.push(current.trim());
      current = '';
    } else current += c;
  }
  parts.push(current.trim());
  return parts.filter((p) => p !== '');
}

/** What normalizeDn must split and trim for: an escape or any white space. */
const PLAIN_NEEDS_WORK = /[\\\s]/;

/**
 * A key that makes DNs compare the way the directory does for our purposes: component by
 * component, case-insensitively. Attribute-type aliases and hex-escaped forms of the same
 * character are not unified; DNs read from one directory are written one way.
 */
export function normalizeDn(dn: string): string {
  // Most DNs have no escape, no space and no empty component: then this is all it takes.
  if (!PLAIN_NEEDS_WORK.test(dn) && dn.length > 0 && dn[0] !== ',' && dn[dn.length - 1] !== ',' && !dn.includes(',,')) return dn.toLowerCase();
  return splitDn(dn)
    .map((rdn) => rdn.replace(/\s*=\s*/, '=').toLowerCase())
    .join(',');
}

/**
 * A sort key that orders DNs from the root down (parents before their children), then by name:
 * creating in this order never needs a parent that does not exist yet; deleting in reverse never
 * leaves a child behind. NUL joins the components because it sorts before any character a
 * component can hold, so a parent's key is a prefix that sorts first.
 */
export function topDownKey(dn: string): string {
  return splitDn(normalizeDn(dn)).reverse().join('\u0000');
}

/** The attribute type of the first RDN: "uid" for "uid=jdoe,ou=people,dc=example,dc=org". */
export function namingAttribute(dn: string): string | undefined {
  const first = splitDn(dn)[0];
  const eq = first?.indexOf('=') ?? -1;
  return eq > 0 ? first!.slice(0, eq).trim().toLowerCase() : undefined;
}
