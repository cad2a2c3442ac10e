import type { ConnectorObject } from '@idsync/connector-core';
import ExcelJS from 'exceljs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipParts, zipParts, type FixturePart } from './testing/zip-fixtures';
import { XlsxConnector } from './xlsx.connector';
import type { XlsxLimits } from './xlsx-limits';

/** Hostile workbooks, built here: a valid exceljs workbook, unzipped, patched, and zipped again by hand. */
describe('XlsxConnector refusing hostile workbooks', () => {
  let dir: string;
  let parts: FixturePart[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xlsx-hostile-'));
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Staff');
    ws.addRow(['id', 'cn']);
    for (let i = 0; i < 20; i++) ws.addRow([`u${i}`, `n${i}`]);
    await wb.xlsx.writeFile(join(dir, 'valid.xlsx'));
    parts = await unzipParts(join(dir, 'valid.xlsx'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const patch = (name: string, edit: (xml: string) => string): FixturePart[] =>
    parts.map((p) => (p.name === name ? { ...p, data: Buffer.from(edit(p.data.toString('utf8'))) } : p));

  async function read(bytes: Buffer, limits?: XlsxLimits): Promise<ConnectorObject[]> {
    const path = join(dir, `f${Math.random().toString(36).slice(2)}.xlsx`);
    await writeFile(path, bytes);
    const out: ConnectorObject[] = [];
    for await (const p of new XlsxConnector({ path, sheet: 'Staff', keyColumn: 'id', limits }).readSnapshot({ objectType: 'user' })) out.push(...p);
    return out;
  }

  it('reads the hand-rebuilt valid workbook (the fixture itself is sound)', async () => {
    expect(await read(zipParts(parts))).toHaveLength(20);
  });

  it('XLSX.ENCRYPTED for an OLE compound file (how Excel stores a password-protected workbook)', async () => {
    const cfb = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    await expect(read(cfb)).rejects.toMatchObject({ code: 'XLSX.ENCRYPTED', message: expect.stringContaining('password') });
  });

  it('XLSX.MACROS for a vbaProject.bin part or a macro-enabled content type', async () => {
    await expect(read(zipParts([...parts, { name: 'xl/vbaProject.bin', data: Buffer.from('VBA') }]))).rejects.toMatchObject({ code: 'XLSX.MACROS' });
    const macroType = patch('[Content_Types].xml', (x) => x.replace('spreadsheetml.sheet.main+xml', 'sheet.macroEnabled.main+xml'));
    expect(macroType).not.toEqual(parts);
    await expect(read(zipParts(macroType))).rejects.toMatchObject({ code: 'XLSX.MACROS' });
  });

  it('XLSX.ZIP_BOMB for a part that expands over 100:1, or a total over the size limit', async () => {
    const bomb = { name: 'xl/media/image1.png', data: Buffer.alloc(20 * 1024 * 1024) };
    await expect(read(zipParts([...parts, bomb]))).rejects.toMatchObject({ code: 'XLSX.ZIP_BOMB', details: { part: 'xl/media/image1.png' } });
    await expect(read(zipParts(parts), { maxUncompressedBytes: 1000 })).rejects.toMatchObject({ code: 'XLSX.ZIP_BOMB', message: expect.stringContaining('over the limit of 1000') });
  });

  it('XLSX.ZIP_BOMB when a part inflates past what its directory entry declares', async () => {
    const liar = parts.map((p) => (p.name === '[Content_Types].xml' ? { ...p, data: Buffer.concat([p.data, Buffer.alloc(5 * 1024 * 1024, 32)]), declaredSize: p.data.length } : p));
    await expect(read(zipParts(liar))).rejects.toMatchObject({ code: 'XLSX.ZIP_BOMB', details: { part: '[Content_Types].xml' } });
  });

  it('XLSX.ZIP_BOMB when the sheet or the shared strings inflate past their declared size', async () => {
    for (const name of ['xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml']) {
      const liar = parts.map((p) => (p.name === name ? { ...p, declaredSize: p.data.length - 10 } : p));
      await expect(read(zipParts(liar))).rejects.toMatchObject({ code: 'XLSX.ZIP_BOMB', details: { part: name } });
    }
  });

  it('XLSX.TOO_LARGE for a sheet declaring A1:XFD1048576, before any row is parsed', async () => {
    const huge = patch('xl/worksheets/sheet1.xml', (x) => x.replace(/<dimension ref="[^"]*"\/>/, '<dimension ref="A1:XFD1048576"/>'));
    await expect(read(zipParts(huge))).rejects.toMatchObject({ code: 'XLSX.TOO_LARGE', details: { sheet: 'Staff', rows: '1048576', columns: '16384' } });
  });

  it('XLSX.TOO_LARGE while streaming when the sheet declares no dimension', async () => {
    const silent = patch('xl/worksheets/sheet1.xml', (x) => x.replace(/<dimension ref="[^"]*"\/>/, ''));
    await expect(read(zipParts(silent), { maxRows: 10 })).rejects.toMatchObject({ code: 'XLSX.TOO_LARGE', details: { sheet: 'Staff', row: '11' } });
  });

  it('XLSX.NOT_XLSX for a truncated zip', async () => {
    await expect(read(zipParts(parts).subarray(0, 200))).rejects.toMatchObject({ code: 'XLSX.NOT_XLSX' });
  });
});
