import { daysInMonth, fromParts, offsetMinutes, type DateParts } from './date-parse';

/**
 * .NET custom date and time format strings (yyyy, MM, dd, HH, hh, mm, ss, f/F, tt, zzz, K,
 * 'literal', \c, %c) with the invariant culture, which is what FormatDateTime accepts.
 * Single-letter standard formats ("o", "s", "u", "d"...) are expanded to their custom form.
 */

type FormatToken = { kind: 'literal'; text: string } | { kind: 'field'; letter: string; count: number };

const FIELD_LETTERS = new Set(['d', 'f', 'F', 'g', 'h', 'H', 'K', 'm', 'M', 's', 't', 'y', 'z']);

const STANDARD: Record<string, string> = {
  d: 'MM/dd/yyyy',
  D: 'dddd, dd MMMM yyyy',
  f: 'dddd, dd MMMM yyyy HH:mm',
  F: 'dddd, dd MMMM yyyy HH:mm:ss',
  g: 'MM/dd/yyyy HH:mm',
  G: 'MM/dd/yyyy HH:mm:ss',
  m: 'MMMM dd',
  M: 'MMMM dd',
  o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  r: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  R: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  t: 'HH:mm',
  T: 'HH:mm:ss',
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
  y: 'yyyy MMMM',
  Y: 'yyyy MMMM',
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

// Formats come from job configuration: a handful of distinct strings, each used for every object.
const cache = new Map<string, FormatToken[]>();

export function tokenizeFormat(format: string): FormatToken[] {
  let tokens = cache.get(format);
  if (!tokens) {
    tokens = tokenizeUncached(STANDARD[format] ?? format);
    if (cache.size > 1000) cache.clear();
    cache.set(format, tokens);
  }
  return tokens;
}

function tokenizeUncached(format: string): FormatToken[] {
  const out: FormatToken[] = [];
  const literal = (text: string) => {
    const last = out[out.length - 1];
    if (last?.kind === 'literal') last.text += text;
    else out.push({ kind: 'literal', text });
  };
  let i = 0;
  while (i < format.length) {
    const c = format[i];
    if (c === "'" || c === '"') {
      const end = format.indexOf(c, i + 1);
      if (end === -1) throw new Error(`unclosed quote in date format "${format}"`);
      literal(format.slice(i + 1, end));
      i = end + 1;
    } else if (c === '\\') {
      literal(format[i + 1] ?? '');
      i += 2;
    } else if (c === '%') {
      i++;
    } else if (FIELD_LETTERS.has(c)) {
      let n = 1;
      while (format[i + n] === c) n++;
      out.push({ kind: 'field', letter: c, count: n });
      i += n;
    } else {
      literal(c);
      i++;
    }
  }
  return out;
}

/** Formats a UTC instant. */
export function formatDate(d: Date, format: string): string {
  let out = '';
  for (const t of tokenizeFormat(format)) {
    if (t.kind === 'literal') {
      out += t.text;
      continue;
    }
    const n = t.count;
    const hour = d.getUTCHours();
    switch (t.letter) {
      case 'y': {
        const y = d.getUTCFullYear();
        out += n <= 2 ? pad(y % 100, n) : pad(y, n);
        break;
      }
      case 'M':
        out += n >= 4 ? MONTHS[d.getUTCMonth()] : n === 3 ? MONTHS[d.getUTCMonth()].slice(0, 3) : pad(d.getUTCMonth() + 1, n);
        break;
      case 'd':
        out += n >= 4 ? DAYS[d.getUTCDay()] : n === 3 ? DAYS[d.getUTCDay()].slice(0, 3) : pad(d.getUTCDate(), n);
        break;
      case 'h':
        out += pad(hour % 12 === 0 ? 12 : hour % 12, Math.min(n, 2));
        break;
      case 'H':
        out += pad(hour, Math.min(n, 2));
        break;
      case 'm':
        out += pad(d.getUTCMinutes(), Math.min(n, 2));
        break;
      case 's':
        out += pad(d.getUTCSeconds(), Math.min(n, 2));
        break;
      case 'f':
      case 'F': {
        const digits = pad(d.getUTCMilliseconds(), 3).padEnd(7, '0').slice(0, Math.min(n, 7));
        if (t.letter === 'f') out += digits;
        else {
          const trimmed = digits.replace(/0+$/, '');
          // .NET drops the decimal point too when F prints nothing.
          out = trimmed ? out + trimmed : out.replace(/\.$/, '');
        }
        break;
      }
      case 't':
        out += (hour < 12 ? 'AM' : 'PM').slice(0, n === 1 ? 1 : 2);
        break;
      case 'z':
        out += n === 1 ? '+0' : n === 2 ? '+00' : '+00:00';
        break;
      case 'K':
        out += 'Z';
        break;
      case 'g':
        out += 'A.D.';
        break;
    }
  }
  return out;
}

/**
 * Reads `text` exactly as `format` describes it (like .NET ParseExact): a doubled letter
 * (dd, MM, HH) wants two digits, a single one accepts one or two. Leading and trailing
 * whitespace is ignored. Returns undefined when the text does not match.
 */
export function parseDate(text: string, format: string): Date | undefined {
  const s = text.trim();
  const p: DateParts & { pm?: boolean } = { year: 1, month: 1, day: 1 };
  let i = 0;
  const digits = (min: number, max: number): number | undefined => {
    let j = i;
    while (j < s.length && j - i < max && s[j] >= '0' && s[j] <= '9') j++;
    if (j - i < min) return undefined;
    const v = Number(s.slice(i, j));
    i = j;
    return v;
  };
  const word = (names: string[], abbreviate: boolean): number | undefined => {
    const rest = s.slice(i).toLowerCase();
    const idx = names.findIndex((w) => rest.startsWith((abbreviate ? w.slice(0, 3) : w).toLowerCase()));
    if (idx !== -1) i += abbreviate ? 3 : names[idx].length;
    return idx === -1 ? undefined : idx;
  };
  const tokens = tokenizeFormat(format);
  for (const [k, t] of tokens.entries()) {
    if (t.kind === 'literal') {
      let text = t.text;
      // As in .NET, the decimal point before optional F digits may be missing with them.
      const next = tokens[k + 1];
      if (text.endsWith('.') && next?.kind === 'field' && next.letter === 'F' && s[i + text.length - 1] !== '.') text = text.slice(0, -1);
      if (s.slice(i, i + text.length) !== text) return undefined;
      i += text.length;
      continue;
    }
    const n = t.count;
    const [min, max] = n === 1 ? [1, 2] : [2, 2];
    let v: number | undefined;
    switch (t.letter) {
      case 'y':
        v = n <= 2 ? digits(n === 1 ? 1 : 2, 2) : digits(n, n);
        if (v !== undefined && n <= 2) v += v <= 29 ? 2000 : 1900; // .NET's two-digit year window
        if (v !== undefined) p.year = v;
        break;
      case 'M':
        v = n >= 3 ? word(MONTHS, n === 3) : digits(min, max);
        if (v !== undefined) p.month = n >= 3 ? v + 1 : v;
        break;
      case 'd':
        v = n >= 3 ? word(DAYS, n === 3) : digits(min, max);
        if (v !== undefined && n <= 2) p.day = v;
        break;
      case 'h':
      case 'H':
        v = digits(min, max);
        if (v !== undefined) p.hour = v;
        if (t.letter === 'h' && v !== undefined && (v < 1 || v > 12)) return undefined;
        break;
      case 'm':
        v = digits(min, max);
        if (v !== undefined) p.minute = v;
        break;
      case 's':
        v = digits(min, max);
        if (v !== undefined) p.second = v;
        break;
      case 'f':
      case 'F': {
        const start = i;
        v = digits(t.letter === 'f' ? n : 0, n);
        if (v !== undefined && i > start) p.millisecond = Number(s.slice(start, i).padEnd(3, '0').slice(0, 3));
        break;
      }
      case 't': {
        const m = (n === 1 ? /^[AP]/i : /^[AP]M/i).exec(s.slice(i));
        if (m) {
          p.pm = m[0][0].toUpperCase() === 'P';
          i += m[0].length;
          v = 0;
        }
        break;
      }
      case 'z':
      case 'K': {
        const m = /^(Z|[+-]\d{1,2}(:?\d{2})?)/i.exec(s.slice(i));
        if (m) {
          p.offset = offsetMinutes(m[0].length <= 3 && m[0] !== 'Z' && m[0] !== 'z' ? `${m[0][0]}${m[0].slice(1).padStart(2, '0')}:00` : m[0]);
          i += m[0].length;
          v = 0;
        } else if (t.letter === 'K') v = 0;
        break;
      }
      case 'g':
        v = /^A\.?D\.?/i.test(s.slice(i)) ? 0 : undefined;
        if (v !== undefined) i += /^A\.?D\.?/i.exec(s.slice(i))![0].length;
        break;
    }
    if (v === undefined) return undefined;
  }
  if (i !== s.length) return undefined;
  if (p.pm !== undefined && p.hour !== undefined) p.hour = (p.hour % 12) + (p.pm ? 12 : 0);
  if (p.day > daysInMonth(p.year, p.month - 1)) return undefined;
  return fromParts(p);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
