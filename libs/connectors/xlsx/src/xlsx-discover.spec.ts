import ExcelJS from 'exceljs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XlsxConnector } from './xlsx.connector';

describe('XlsxConnector.discover', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'xlsx-discover-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function workbook(rows: unknown[][]): Promise<string> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Staff');
    rows.forEach((r) => ws.addRow(r));
    const path = join(dir, 'people.xlsx');
    await wb.xlsx.writeFile(path);
    return path;
  }

  it('describes the header row below a title, with the declared column types', async () => {
    const path = await workbook([['Staff list'], ['id', 'salary', 'hired', 'active', 'groups'], [1, 10, new Date('2025-01-02'), true, 'a|b']]);
    const xlsx = new XlsxConnector({
      path,
      sheet: 'Staff',
      headerRow: 2,
      keyColumn: 'id',
      multiValueSeparator: '|',
      columns: [
        { name: 'salary', type: 'number', required: true },
        { name: 'hired', type: 'date' },
        { name: 'active', type: 'boolean' },
      ],
    });
    const schema = await xlsx.discover();
    expect(schema.origin).toBe('observed');
    const [type] = schema.objectTypes;
    expect(type).toMatchObject({ name: '*', nativeNames: [`${path}#Staff`], anchor: '', key: 'id' });
    expect(type.attributes).toEqual([
      { name: 'id', type: 'string', multiValued: false, required: true },
      { name: 'salary', type: 'decimal', multiValued: true, required: true },
      { name: 'hired', type: 'datetime', multiValued: true, required: false },
      { name: 'active', type: 'boolean', multiValued: true, required: false },
      { name: 'groups', type: 'string', multiValued: true, required: false },
    ]);
  });

  it('checks the header as a read does, and refuses a sheet without one', async () => {
    await expect(new XlsxConnector({ path: await workbook([['id', 'id']]), sheet: 'Staff' }).discover()).rejects.toMatchObject({ code: 'XLSX.DUPLICATE_COLUMN' });
    await expect(new XlsxConnector({ path: await workbook([['id']]), sheet: 'Staff', keyColumn: 'uid' }).discover()).rejects.toMatchObject({ code: 'XLSX.MISSING_COLUMN' });
    await expect(new XlsxConnector({ path: await workbook([]), sheet: 'Staff' }).discover()).rejects.toMatchObject({ code: 'XLSX.EMPTY' });
  });
});
