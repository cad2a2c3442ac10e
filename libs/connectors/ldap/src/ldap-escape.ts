/**
 * Escapes a value for use inside a DN's attribute value (RFC 4514 section 2.4), e.g. the
 * `O'Brien, Jr.` in `cn=O'Brien\, Jr.,ou=people,...`. Non-ASCII characters stay as they are
 * (DNs are UTF-8 strings); `=` is escaped too, which RFC 4514 allows and keeps a value from
 * ever looking like a second attribute.
 *
 * @example escapeDnValue('#1, a+b ') === '\\#1\\, a\\+b\\ '
 */
export function escapeDnValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\0') out += '\\00';
    else if ('"+,;<>\\='.includes(c)) out += `\\${c}`;
    else if ((c === ' ' || c === '#') && i === 0) out += `\\${c}`;
    else if (c === ' ' && i === value.length - 1) out += '\\ ';
    else out += c;
  }
  return out;
}

/**
 * Escapes a value for use inside a search filter (RFC 4515): `*`, `(`, `)`, `\` and NUL.
 *
 * Hazard: non-ASCII characters are deliberately left unescaped (RFC 4515 allows UTF-8 as is).
 * ldapts parses `\xx` escapes one byte at a time into one character each, so escaping the
 * UTF-8 bytes of `ë` as `\c3\ab` would search for `Ã«` instead.
 *
 * @example `(cn=${escapeFilterValue('a*(b)')})` === '(cn=a\\2a\\28b\\29)'
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Reverses escapeDnValue and the server's own `\XX` hex escapes (UTF-8 bytes) in one value. */
export function unescapeDnValue(value: string): string {
  let out = '';
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length) out += Buffer.from(bytes).toString('utf8');
    bytes = [];
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c !== '\\') {
      flush();
      out += c;
      continue;
    }
    const hex = value.slice(i + 1, i + 3);
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      flush();
      out += value[i + 1] ?? '';
      i += 1;
    }
  }
  flush();
  return out;
}

/** Splits on a separator that is not escaped: `a\,b,c` → [`a\,b`, `c`]. */
function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * Rewrites a DN so every value is escaped the way escapeDnValue does it. Servers return their
 * own spelling (slapd answers `cn=O'Brien\2C Jr.` for `cn=O'Brien\, Jr.`), so without this a DN
 * built with escapeDnValue would never equal the key read back.
 *
 * @example normalizeDn('cn=O\'Brien\\2C Jr.,ou=people') === 'cn=O\'Brien\\, Jr.,ou=people'
 */
export function normalizeDn(dn: string): string {
  if (!dn) return dn;
  return splitUnescaped(dn, ',')
    .map((rdn) =>
      splitUnescaped(rdn, '+')
        .map((ava) => {
          const eq = ava.indexOf('=');
          if (eq < 0) return ava;
          const value = ava.slice(eq + 1);
          // A '#' value is the BER form of a non-string value; re-escaping it would change its meaning.
          if (value.startsWith('#')) return ava;
          return `${ava.slice(0, eq).trim()}=${escapeDnValue(unescapeDnValue(value))}`;
        })
        .join('+'),
    )
    .join(',');
}

/** `rdnAttribute=<escaped value>,parentDn`. */
export function childDn(rdnAttribute: string, value: string, parentDn: string): string {
  return `${rdnAttribute}=${escapeDnValue(value)},${parentDn}`;
}
