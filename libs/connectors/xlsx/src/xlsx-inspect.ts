import { open, stat } from 'node:fs/promises';
import { columnNumber, xlsxError, XlsxErrorCode } from './xlsx-errors';
import type { XlsxLimits } from './xlsx-limits';
import { inflateEntry, readCentralDirectory, ZipFormatError, type ZipEntry } from './zip-directory';

/** What the checks learned: the workbook's sheet names, in order. */
export interface WorkbookFacts {
  sheets: string[];
}

const OLE_SIGNATURE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** The small XML parts read here are kilobytes; more is refused rather than held. */
const MAX_PART_BYTES = 4 * 1024 * 1024;
/** `<dimension>` is among the first elements of a sheet: only this much of the sheet is inflated to find it. */
const DIMENSION_WINDOW = 64 * 1024;
const RATIO_FLOOR = 1024 * 1024;

/**
 * Refuses hostile or unsupported workbooks before exceljs sees them, reading only the zip's central
 * directory and a few small parts, so memory and time stay fixed whatever the file holds:
 * password-protected files (OLE compound files), macro-enabled workbooks, zip bombs, and sheets whose
 * declared dimension is beyond the limits. When `sheet` is given it must exist.
 *
 * Sizes are first checked as the zip declares them; then the sheet and the shared strings are inflated
 * (counted, not kept) to prove they do not exceed what was declared.
 */
export async function inspectWorkbook(file: string, limits: Required<XlsxLimits>, sheet?: string): Promise<WorkbookFacts> {
  const size = (await stat(file)).size;
  const handle = await open(file, 'r');
  try {
    const magic = Buffer.alloc(8);
    await handle.read(magic, 0, 8, 0);
    if (magic.equals(OLE_SIGNATURE)) {
      throw xlsxError(XlsxErrorCode.ENCRYPTED, 'this is an OLE compound file: a password-protected workbook or a legacy .xls. Remove the password (or save as .xlsx) and export again', { file });
    }
    if (!magic.subarray(0, 4).equals(ZIP_SIGNATURE)) throw xlsxError(XlsxErrorCode.NOT_XLSX, 'not an .xlsx workbook (it does not start like a zip file)', { file });
    const entries = await readCentralDirectory(handle, size).catch(notXlsx(file));
    checkSizes(file, entries, limits);
    const byName = new Map(entries.map((e) => [e.name, e]));
    const part = async (name: string): Promise<string | undefined> => {
      const entry = byName.get(name);
      if (!entry) return undefined;
      const { data, truncated } = await inflateEntry(handle, entry, MAX_PART_BYTES).catch(notXlsx(file));
      if (truncated) throw xlsxError(XlsxErrorCode.ZIP_BOMB, `the part ${name} inflates past ${MAX_PART_BYTES} bytes`, { file }, { part: name });
      return data.toString('utf8');
    };

    if (entries.some((e) => /(^|\/)vbaProject\.bin$/i.test(e.name))) throw macros(file);
    const types = await part('[Content_Types].xml');
    if (types === undefined) throw xlsxError(XlsxErrorCode.NOT_XLSX, 'a zip file but not an Office workbook (no [Content_Types].xml)', { file });
    if (/macroEnabled/i.test(types)) throw macros(file);

    const sheets = sheetParts(await part('xl/workbook.xml'), await part('xl/_rels/workbook.xml.rels'));
    if (!sheets.length) throw xlsxError(XlsxErrorCode.NOT_XLSX, 'the workbook lists no worksheets', { file });
    if (sheet !== undefined) {
      const target = sheets.find((s) => s.name === sheet);
      if (!target) throw xlsxError(XlsxErrorCode.NO_SUCH_SHEET, `there is no sheet "${sheet}" (the workbook has ${sheets.map((s) => `"${s.name}"`).join(', ')})`, { file, sheet }, { sheets: sheets.map((s) => s.name).join(',') });
      const entry = byName.get(target.part);
      if (!entry) throw xlsxError(XlsxErrorCode.NOT_XLSX, `the sheet's part ${target.part} is missing`, { file, sheet });
      const head = (await inflateEntry(handle, entry, DIMENSION_WINDOW).catch(notXlsx(file))).data.toString('utf8');
      checkDimension(file, sheet, head, limits);
      // exceljs holds the shared strings in memory and streams the sheet: both are inflated here first,
      // counted and discarded, so a directory that understates their size cannot get past the limits.
      for (const measured of [entry, byName.get('xl/sharedStrings.xml')]) {
        if (measured && (await inflateEntry(handle, measured, measured.uncompressedSize, false).catch(notXlsx(file))).truncated) {
          throw xlsxError(XlsxErrorCode.ZIP_BOMB, `the part ${measured.name} inflates past the ${measured.uncompressedSize} bytes the zip declares; refusing a likely zip bomb`, { file }, { part: measured.name });
        }
      }
    }
    return { sheets: sheets.map((s) => s.name) };
  } finally {
    await handle.close();
  }
}

function checkSizes(file: string, entries: ZipEntry[], limits: Required<XlsxLimits>): void {
  let total = 0;
  let compressed = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    compressed += e.compressedSize;
    if (e.uncompressedSize > RATIO_FLOOR && e.uncompressedSize > limits.maxCompressionRatio * Math.max(e.compressedSize, 1)) {
      throw xlsxError(XlsxErrorCode.ZIP_BOMB, `the part ${e.name} expands ${Math.round(e.uncompressedSize / Math.max(e.compressedSize, 1))}:1 (limit ${limits.maxCompressionRatio}:1); refusing a likely zip bomb`, { file }, { part: e.name });
    }
  }
  if (total > limits.maxUncompressedBytes) {
    throw xlsxError(XlsxErrorCode.ZIP_BOMB, `the workbook expands to ${total} bytes, over the limit of ${limits.maxUncompressedBytes}; split the export or raise limits.maxUncompressedBytes`, { file }, { uncompressedBytes: String(total) });
  }
  if (total > RATIO_FLOOR && total > limits.maxCompressionRatio * Math.max(compressed, 1)) {
    throw xlsxError(XlsxErrorCode.ZIP_BOMB, `the workbook expands ${Math.round(total / Math.max(compressed, 1))}:1 (limit ${limits.maxCompressionRatio}:1); refusing a likely zip bomb`, { file });
  }
}

function checkDimension(file: string, sheet: string, head: string, limits: Required<XlsxLimits>): void {
  const m = /<(?:\w+:)?dimension\s+ref="\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?"/i.exec(head);
  if (!m) return;
  const rows = Number(m[4] ?? m[2]);
  const columns = columnNumber(m[3] ?? m[1]);
  if (rows > limits.maxRows || columns > limits.maxColumns) {
    throw xlsxError(XlsxErrorCode.TOO_LARGE, `the sheet declares ${rows} rows and ${columns} columns (${m[0].slice(m[0].indexOf('"'))}), over the limits of ${limits.maxRows} rows and ${limits.maxColumns} columns; delete the empty formatted rows and columns`, { file, sheet }, { rows: String(rows), columns: String(columns) });
  }
}

/** Sheet name → part path, from workbook.xml and its relationships. */
function sheetParts(workbook = '', rels = ''): { name: string; part: string }[] {
  const targets = new Map<string, string>();
  for (const [tag] of rels.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const id = attr(tag, 'Id');
    const target = attr(tag, 'Target');
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const sheets: { name: string; part: string }[] = [];
  for (const [tag] of workbook.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
    const name = attr(tag, 'name');
    const part = targets.get(attr(tag, 'r:id') ?? attr(tag, 'id') ?? '');
    if (name !== undefined && part) sheets.push({ name, part });
  }
  return sheets;
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name.replace(':', '\\:')}="([^"]*)"`).exec(tag);
  return m ? m[1].replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!) : undefined;
}

function macros(file: string) {
  return xlsxError(XlsxErrorCode.MACROS, 'the workbook contains macros (VBA); save it as a plain .xlsx without macros and export again', { file });
}

function notXlsx(file: string) {
  return (e: unknown): never => {
    if (e instanceof ZipFormatError) throw xlsxError(XlsxErrorCode.NOT_XLSX, `not a readable .xlsx workbook: ${e.message}`, { file });
    throw e;
  };
}
