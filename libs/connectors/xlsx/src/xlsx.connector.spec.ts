import type { ConnectorObject, ReadOptions } from '@idsync/connector-core';
import ExcelJS from 'exceljs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XlsxConnector, type XlsxConnectorOptions } from './xlsx.connector';

describe('XlsxConnector reading', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'xlsx-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function workbook(rows: unknown[][], sheet = 'Staff', more: Record<string, unknown[][]> = {}): Promise<string> {
    const wb = new ExcelJS.Workbook();
    for (const [name, data] of Object.entries({ [sheet]: rows, ...more })) {
      const ws = wb.addWorksheet(name);
      data.forEach((r) => ws.addRow(r));
    }
    const path = join(dir, 'people.xlsx');
    await wb.xlsx.writeFile(path);
    return path;
  }

  async function readAll(options: Omit<XlsxConnectorOptions, 'sheet'> & { sheet?: string }, read: Partial<ReadOptions> = {}): Promise<ConnectorObject[]> {
    const out: ConnectorObject[] = [];
    for await (const p of new XlsxConnector({ sheet: 'Staff', ...options }).readSnapshot({ objectType: 'user', keyAttribute: 'id', ...read })) out.push(...p);
    return out;
  }

  it('converts cells by declared type: ISO dates, numbers without float noise, booleans, formula results', async () => {
    const path = await workbook(
      [
        ['Staff export', 'March'],
        [],
        ['id', 'cn', 'hired', 'seen', 'salary', 'active', 'total'],
        [1001, { richText: [{ text: 'Ada ' }, { text: 'Lovelace' }] }, new Date(Date.UTC(2024, 1, 29)), new Date(Date.UTC(2024, 1, 29, 9, 30)), 0.1 + 0.2, true, { formula: 'E4*2', result: 0.6000000000000001 }],
        ['E2', 'Bob', '2023-05-01', 45413, '42', 'no', null],
      ],
      'Staff',
      { Other: [['x']] },
    );
    const columns = [
      { name: 'hired', type: 'date' as const },
      { name: 'seen', type: 'date' as const },
      { name: 'salary', type: 'number' as const },
      { name: 'active', type: 'boolean' as const },
      { name: 'total', type: 'number' as const },
    ];
    expect(await readAll({ path, headerRow: 3, columns })).toEqual([
      { key: '1001', anchor: '', attributes: { id: ['1001'], cn: ['Ada Lovelace'], hired: ['2024-02-29'], seen: ['2024-02-29T09:30:00.000Z'], salary: ['0.3'], active: ['true'], total: ['0.6'] } },
      { key: 'E2', anchor: '', attributes: { id: ['E2'], cn: ['Bob'], hired: ['2023-05-01'], seen: ['2024-05-01'], salary: ['42'], active: ['false'] } },
    ]);
  });

  it('finds the sheet by name when it is not the first', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Readme').addRow(['id', 'this sheet is not read']);
    const ws = wb.addWorksheet('Staff');
    ws.addRow(['id', 'cn']);
    ws.addRow(['u1', 'Ada']);
    const path = join(dir, 'two.xlsx');
    await wb.xlsx.writeFile(path);
    expect(await readAll({ path })).toEqual([{ key: 'u1', anchor: '', attributes: { id: ['u1'], cn: ['Ada'] } }]);
  });

  it('keeps requested columns, splits multi-valued cells, and pages', async () => {
    const path = await workbook([['id', 'cn', 'groups'], ...Array.from({ length: 5 }, (_, i) => [`u${i}`, `n${i}`, 'a| b|'])]);
    const pages: ConnectorObject[][] = [];
    for await (const p of new XlsxConnector({ path, sheet: 'Staff', keyColumn: 'id', multiValueSeparator: '|' }).readSnapshot({ objectType: 'user', attributes: ['groups'], pageSize: 2 })) pages.push(p);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages[0][0]).toEqual({ key: 'u0', anchor: '', attributes: { groups: ['a', 'b'] } });
  });

  describe('rejects bad content with the file, sheet, row and column', () => {
    it('XLSX.NO_SUCH_SHEET listing the sheets there are', async () => {
      const path = await workbook([['id'], [1]]);
      await expect(readAll({ path, sheet: 'Staf' })).rejects.toMatchObject({ code: 'XLSX.NO_SUCH_SHEET', details: { file: path, sheet: 'Staf', sheets: 'Staff' } });
      await expect(new XlsxConnector({ path, sheet: 'Nope' }).testConnection()).rejects.toMatchObject({ code: 'XLSX.NO_SUCH_SHEET' });
    });

    it('XLSX.FILE_NOT_FOUND and XLSX.NOT_XLSX', async () => {
      await expect(readAll({ path: join(dir, 'nope.xlsx') })).rejects.toMatchObject({ code: 'XLSX.FILE_NOT_FOUND' });
      const { writeFile } = await import('node:fs/promises');
      const csv = join(dir, 'people.csv.xlsx');
      await writeFile(csv, 'id,cn\n1,a\n');
      await expect(readAll({ path: csv })).rejects.toMatchObject({ code: 'XLSX.NOT_XLSX' });
    });

    it('XLSX.MISSING_COLUMN for the key, a declared column, or a value under a blank header', async () => {
      const path = await workbook([['ID', 'cn'], [1, 'a']]);
      await expect(readAll({ path })).rejects.toMatchObject({ code: 'XLSX.MISSING_COLUMN', details: { sheet: 'Staff', row: '1', column: 'id' } });
      const p2 = await workbook([['id', 'cn'], [1, 'a', 'stray']]);
      await expect(readAll({ path: p2 })).rejects.toMatchObject({ code: 'XLSX.MISSING_COLUMN', details: { row: '2', column: 'C' } });
      await expect(readAll({ path: p2, columns: [{ name: 'mail' }] })).rejects.toMatchObject({ code: 'XLSX.MISSING_COLUMN', details: { column: 'mail' } });
    });

    it('XLSX.DUPLICATE_COLUMN, XLSX.MISSING_KEY and XLSX.DUPLICATE_KEY', async () => {
      await expect(readAll({ path: await workbook([['id', 'cn', 'cn'], [1]]) })).rejects.toMatchObject({ code: 'XLSX.DUPLICATE_COLUMN', details: { column: 'cn' } });
      await expect(readAll({ path: await workbook([['id', 'cn'], [1, 'a'], [' ', 'b']]) })).rejects.toMatchObject({ code: 'XLSX.MISSING_KEY', details: { row: '3', column: 'id' } });
      const dup = readAll({ path: await workbook([['id'], ['7'], [8], [7]]) });
      await expect(dup).rejects.toMatchObject({ code: 'XLSX.DUPLICATE_KEY', details: { row: '4', firstRow: '2', key: '7', column: 'id' } });
      await expect(dup).rejects.toThrow(/people\.xlsx, sheet "Staff", row 4, column "id": key "7" is on row 2 and again on row 4/);
    });

    it('XLSX.BAD_VALUE naming the cell, and XLSX.MISSING_VALUE for a required column', async () => {
      const path = await workbook([['id', 'hired', 'salary'], [1, 'March 3rd', 'lots']]);
      await expect(readAll({ path, columns: [{ name: 'hired', type: 'date' }] })).rejects.toMatchObject({ code: 'XLSX.BAD_VALUE', details: { row: '2', column: 'hired', cell: 'B2', type: 'date' } });
      await expect(readAll({ path, columns: [{ name: 'salary', type: 'number' }] })).rejects.toMatchObject({ code: 'XLSX.BAD_VALUE', details: { cell: 'C2' } });
      const p2 = await workbook([['id', 'mail'], [1]]);
      await expect(readAll({ path: p2, columns: [{ name: 'mail', required: true }] })).rejects.toMatchObject({ code: 'XLSX.MISSING_VALUE', details: { row: '2', column: 'mail' } });
    });

    it('XLSX.EMPTY for a header without rows, or a blank header row', async () => {
      await expect(readAll({ path: await workbook([['id', 'cn']]) })).rejects.toMatchObject({ code: 'XLSX.EMPTY' });
      await expect(readAll({ path: await workbook([['id'], [1]]), headerRow: 3 })).rejects.toMatchObject({ code: 'XLSX.EMPTY' });
    });

    it('XLSX.TOO_LARGE when the declared dimension is past the limits, XLSX.TIMEOUT past the time limit', async () => {
      const path = await workbook([['id', 'cn'], ...Array.from({ length: 20 }, (_, i) => [i, 'x'])]);
      await expect(readAll({ path, limits: { maxRows: 10 } })).rejects.toMatchObject({ code: 'XLSX.TOO_LARGE', details: { rows: '21', columns: '2' } });
      await expect(readAll({ path, limits: { maxColumns: 1 } })).rejects.toMatchObject({ code: 'XLSX.TOO_LARGE' });
      await expect(readAll({ path, limits: { timeoutMs: -1 } })).rejects.toMatchObject({ code: 'XLSX.TIMEOUT' });
    });
  });
});
