/**
 * DateTime text as Entra reads and writes it. Every DateTime is UTC: Entra's provisioning
 * service runs in UTC, so an offset in the input moves the time to UTC and output carries none.
 */

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i;
// LDAP generalized time, e.g. 20150123105347.1Z, so directory timestamps need no FormatDateTime.
const GENERALIZED = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,](\d{1,7}))?(Z|[+-]\d{4})?$/i;

export interface DateParts {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  /** Milliseconds. */
  millisecond?: number;
  /** Minutes east of UTC; the time is taken as UTC when absent. */
  offset?: number;
}

/**
 * Reads ISO 8601 (`2009-06-15T01:45:30-07:00`, `2012-03-16-07:00`, `2021-08-24`), Entra's own
 * output (`8/25/2021 5:41:18 PM`) and generalized time (`20150123105347.1Z`).
 */
export function parseDateTime(text: string): Date | undefined {
  const s = text.trim();
  let m = ISO.exec(s);
  if (m) {
    return fromParts({ year: +m[1], month: +m[2], day: +m[3], hour: num(m[4]), minute: num(m[5]), second: num(m[6]), millisecond: fraction(m[7]), offset: offsetMinutes(m[8]) });
  }
  m = US.exec(s);
  if (m) {
    let hour = num(m[4]);
    if (m[7] && hour !== undefined) {
      if (hour < 1 || hour > 12) return undefined;
      hour = (hour % 12) + (m[7].toUpperCase() === 'PM' ? 12 : 0);
    }
    return fromParts({ year: +m[3], month: +m[1], day: +m[2], hour, minute: num(m[5]), second: num(m[6]) });
  }
  m = GENERALIZED.exec(s);
  if (m) {
    return fromParts({ year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: num(m[6]), millisecond: fraction(m[7]), offset: offsetMinutes(m[8]) });
  }
  return undefined;
}

/** Builds a UTC instant; undefined when a field is out of range (Feb 30, hour 25...). */
export function fromParts(p: DateParts): Date | undefined {
  const { year, month, day, hour = 0, minute = 0, second = 0, millisecond = 0, offset = 0 } = p;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month - 1)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const d = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, millisecond);
  return new Date(d.getTime() - offset * 60_000);
}

export function daysInMonth(year: number, monthIndex: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex + 1, 0);
  return d.getUTCDate();
}

/** Entra's DateTime text: M/d/yyyy h:mm:ss tt, in UTC. */
export function formatUsDateTime(d: Date): string {
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

export function offsetMinutes(text: string | undefined): number | undefined {
  if (!text) return undefined;
  if (text.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!m) return undefined;
  return (m[1] === '-' ? -1 : 1) * (+m[2] * 60 + +m[3]);
}

function num(s: string | undefined): number | undefined {
  return s === undefined ? undefined : +s;
}

function fraction(s: string | undefined): number | undefined {
  return s === undefined ? undefined : Number(s.padEnd(3, '0').slice(0, 3));
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
