/**
 * LDIF content records (RFC 2849): `dn:` then `attr: value` lines, `attr:: base64` for
 * values that are not safe as text, continuation lines starting with one space, records
 * separated by a blank line.
 */
export interface LdifEntry {
  dn: string;
  attributes: Record<string, string[]>;
}

const SAFE = /^[\x01-\x09\x0B-\x0C\x0E-\x1F\x21-\x39\x3B\x3D-\x7F][\x01-\x09\x0B-\x0C\x0E-\x7F]*$/;

function line(name: string, value: string): string {
  return value === '' || SAFE.test(value) && !value.endsWith(' ')
    ? `${name}: ${value}`
    : `${name}:: ${Buffer.from(value, 'utf8').toString('base64')}`;
}

export function formatEntry(e: LdifEntry): string {
  const out = [line('dn', e.dn)];
  for (const [name, values] of Object.entries(e.attributes)) for (const v of values) out.push(line(name, v));
  return out.join('\n') + '\n';
}

export class LdifSyntaxError extends Error {
  constructor(readonly lineNo: number, message: string) {
    super(`line ${lineNo}: ${message}`);
  }
}

/** Parses LDIF text; errors name the line. */
export function* parseLdif(text: string): Iterable<LdifEntry> {
  const raw = text.replace(/\r\n/g, '\n').split('\n');
  const lines: { no: number; text: string }[] = [];
  raw.forEach((t, i) => {
    if (t.startsWith(' ') && lines.length && lines[lines.length - 1].text !== '') lines[lines.length - 1].text += t.slice(1);
    else if (!t.startsWith('#')) lines.push({ no: i + 1, text: t });
  });
  let current: LdifEntry | undefined;
  for (const { no, text: t } of lines) {
    if (t === '') {
      if (current) yield current;
      current = undefined;
      continue;
    }
    const m = /^([A-Za-z0-9;.-]+)(::?)\s?(.*)$/.exec(t);
    if (!m) throw new LdifSyntaxError(no, `expected "attribute: value", got "${t.slice(0, 40)}"`);
    const [, name, sep, rest] = m;
    const value = sep === '::' ? Buffer.from(rest, 'base64').toString('utf8') : rest;
    if (!current) {
      if (name.toLowerCase() === 'version') continue;
      if (name.toLowerCase() !== 'dn') throw new LdifSyntaxError(no, `a record must start with dn:, got ${name}:`);
      current = { dn: value, attributes: {} };
      continue;
    }
    (current.attributes[name] ??= []).push(value);
  }
  if (current) yield current;
}
