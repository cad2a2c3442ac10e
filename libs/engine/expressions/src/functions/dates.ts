import { daysInMonth } from '../dates/date-parse';
import { formatDate, parseDate } from '../dates/date-format';
import { fail } from '../errors';
import { mapText, toDate, toNumber, toText, type Value } from '../values';
import { eager, type FunctionDef } from './function';

/**
 * Date functions. A DateTime is a UTC instant; shown as text it reads "M/d/yyyy h:mm:ss tt",
 * as in Entra. Text arguments are read as ISO 8601, as that form, or as generalized time.
 */

// Active Directory dates (accountExpires, lastLogonTimestamp) count 100 ns ticks from 1601-01-01 UTC.
const TICKS_PER_MS = 10_000n;
const EPOCH_1601_TICKS = 116_444_736_000_000_000n;

const INTERVALS = ['yyyy', 'm', 'd', 'ww', 'h', 'n', 's'] as const;
type Interval = (typeof INTERVALS)[number];

function interval(v: Value | undefined): Interval {
  const s = toText(v) ?? '';
  const found = INTERVALS.find((i) => i === s);
  return found ?? fail(`interval must be one of ${INTERVALS.map((i) => `"${i}"`).join(', ')}, got "${s}"`);
}

/** Like .NET AddMonths: the 31st plus one month is the last day of the next month. */
function addMonths(d: Date, months: number): Date {
  const total = d.getUTCMonth() + months;
  const year = d.getUTCFullYear() + Math.floor(total / 12);
  const month = ((total % 12) + 12) % 12;
  const out = new Date(d.getTime());
  out.setUTCFullYear(year, month, Math.min(d.getUTCDate(), daysInMonth(year, month)));
  return out;
}

const MS: Record<'d' | 'ww' | 'h' | 'n' | 's', number> = { d: 86_400_000, ww: 604_800_000, h: 3_600_000, n: 60_000, s: 1000 };

function startOfWeek(d: Date): number {
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - d.getUTCDay());
}

/**
 * VBA's DateDiff: years and months count calendar boundaries crossed, weeks ("ww") count
 * Sundays crossed, and days, hours, minutes and seconds count whole elapsed units. This is what
 * gives Entra's documented -493 weeks for 8/25/2021 5:41:18 PM to 2012-03-16-07:00.
 */
function dateDiff(unit: Interval, a: Date, b: Date): number {
  switch (unit) {
    case 'yyyy':
      return b.getUTCFullYear() - a.getUTCFullYear();
    case 'm':
      return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
    case 'ww':
      return Math.trunc(Math.round((startOfWeek(b) - startOfWeek(a)) / MS.d) / 7);
    default:
      return Math.trunc((b.getTime() - a.getTime()) / MS[unit]);
  }
}

const STYLES = new Set(
  ['None', 'AllowLeadingWhite', 'AllowTrailingWhite', 'AllowInnerWhite', 'AllowWhiteSpaces', 'NoCurrentDateDefault', 'AdjustToUniversal', 'AssumeLocal', 'AssumeUniversal', 'RoundtripKind'].map((s) =>
    s.toLowerCase(),
  ),
);

// Every DateTimeStyles value means the same here (all times are UTC and input is trimmed), so
// they are only checked for typos.
function checkStyles(v: Value | undefined): void {
  const s = toText(v);
  if (!s) return;
  for (const part of s.split(/[,|]/)) {
    const name = part.trim().replace(/^DateTimeStyles\./, '');
    if (name && !STYLES.has(name.toLowerCase())) fail(`unknown DateTimeStyles value "${name}"`);
  }
}

export const dateFunctions: FunctionDef[] = [
  eager('Now', 0, 0, (_, scope) => (scope.ctx.now ? scope.ctx.now() : new Date())),

  eager('CDate', 1, 1, ([v]) => toDate(v)),

  eager('DateAdd', 3, 3, ([unitArg, valueArg, dateArg]) => {
    const unit = interval(unitArg);
    const n = toNumber(valueArg, 'a number of units') ?? 0;
    const d = toDate(dateArg);
    if (d === null) return null;
    if (unit === 'yyyy') return addMonths(d, Math.trunc(n) * 12);
    if (unit === 'm') return addMonths(d, Math.trunc(n));
    return new Date(d.getTime() + n * MS[unit]);
  }),

  eager('DateDiff', 3, 3, ([unitArg, a, b]) => {
    const unit = interval(unitArg);
    const d1 = toDate(a);
    const d2 = toDate(b);
    return d1 === null || d2 === null ? null : dateDiff(unit, d1, d2);
  }),

  eager('DateFromNum', 1, 1, ([v]) => {
    if (v === null || v === undefined) return null;
    // Tick counts are up to 19 digits, beyond a double's exact range: read them as BigInt.
    const text = typeof v === 'number' ? BigInt(Math.trunc(v)).toString() : (toText(v) ?? '').trim();
    if (text === '') return null;
    if (!/^-?\d+$/.test(text)) fail(`expects an Active Directory date (100 ns ticks since 1601), got "${text}"`);
    return new Date(Number((BigInt(text) - EPOCH_1601_TICKS) / TICKS_PER_MS));
  }),

  // Returned as text: the tick count does not fit a double exactly.
  eager('NumFromDate', 1, 1, ([v]) => {
    const d = toDate(v);
    return d === null ? null : (BigInt(d.getTime()) * TICKS_PER_MS + EPOCH_1601_TICKS).toString();
  }),

  /**
   * FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat); the older three-argument
   * form FormatDateTime(source, inputFormat, outputFormat) is accepted too.
   */
  eager('FormatDateTime', 3, 4, (args) => {
    const [source, styles, inputFormat, outputFormat] = args.length === 3 ? [args[0], undefined, args[1], args[2]] : args;
    checkStyles(styles);
    const output = toText(outputFormat) ?? fail('needs an output format');
    if (source instanceof Date) return formatDate(source, output);
    const input = toText(inputFormat) ?? fail('needs an input format');
    return mapText(source, (s) => {
      const d = parseDate(s, input);
      return d ? formatDate(d, output) : fail(`"${s}" does not match the format "${input}"`);
    });
  }),
];
