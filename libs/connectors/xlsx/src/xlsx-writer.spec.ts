import { readAllObjects, setTo as set, useTempFolder } from '@idsync/testing';
import ExcelJS from 'exceljs';
import { readdir } from 'node:fs/promises';
import { unzipParts } from './testing/zip-fixtures';
import { XlsxConnector, type XlsxConnectorOptions } from './xlsx.connector';

describe('XlsxConnector as a destination', () => {
  const tmp = useTempFolder('xlsx-write-', 'accounts.xlsx');
  const connector = (extra: Partial<XlsxConnectorOptions> = {}) => new XlsxConnector({ path: tmp.path, sheet: 'Accounts', keyColumn: 'uid', multiValueSeparator: '|', ...extra });
  const readBack = (extra: Partial<XlsxConnectorOptions> = {}) => readAllObjects(connector(extra));

  it('says it can write only when keyColumn is set', () => {
    expect(connector().capabilities.write).toBe(true);
    expect(new XlsxConnector({ path: tmp.path, sheet: 'Accounts' }).capabilities.write).toBe(false);
  });

  it('creates the workbook, then updates, disables and deletes rows by key, leaving no temp file', async () => {
    const c = connector();
    await c.apply([
      { kind: 'create', dn: 'ada', changes: [set('cn', 'Ada'), set('mail', 'ada@x.org', 'al@x.org')] },
      { kind: 'create', dn: 'bob', changes: [set('cn', 'Bob')] },
      { kind: 'create', dn: 'eve', changes: [set('cn', 'Eve')] },
    ]);
    const outcomes = await c.apply([
      { kind: 'update', dn: 'bob', changes: [set('mail', 'bob@x.org'), set('cn')] },
      { kind: 'disable', dn: 'ada', changes: [set('status', 'disabled')] },
      { kind: 'delete', dn: 'eve', changes: [] },
      { kind: 'delete', dn: 'nobody', changes: [] },
      { kind: 'update', dn: 'nobody', changes: [set('cn', 'x')] },
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'failed']);
    expect(await readBack()).toEqual([
      { key: 'ada', anchor: '', attributes: { uid: ['ada'], cn: ['Ada'], mail: ['ada@x.org', 'al@x.org'], status: ['disabled'] } },
      { key: 'bob', anchor: '', attributes: { uid: ['bob'], mail: ['bob@x.org'] } },
    ]);
    expect(await readdir(tmp.dir)).toEqual(['accounts.xlsx']);
  });

  it('writes formula-looking values as plain strings, never as formulas', async () => {
    const evil = '=HYPERLINK("http://evil.example","click")';
    await connector().apply([{ kind: 'create', dn: 'x', changes: [set('cn', evil), set('note', '+1+1')] }]);
    const sheet = (await unzipParts(tmp.path)).find((p) => p.name === 'xl/worksheets/sheet1.xml')!.data.toString('utf8');
    expect(sheet).not.toMatch(/<f[ >]/);
    expect((await readBack())[0].attributes).toEqual({ uid: ['x'], cn: [evil], note: ['+1+1'] });
  });

  it('keeps title rows above the header, and existing rows and columns, with typed values normalised', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Accounts');
    ws.addRow(['Accounts export']);
    ws.addRow(['uid', 'cn', 'hired']);
    ws.addRow(['ada', 'Ada', new Date(Date.UTC(2020, 0, 2))]);
    await wb.xlsx.writeFile(tmp.path);
    const options = { headerRow: 2, columns: [{ name: 'hired', type: 'date' as const }] };
    expect(await connector(options).apply([{ kind: 'create', dn: 'bob', changes: [set('cn', 'Bob'), set('hired', '2021-03-04')] }])).toEqual([{ status: 'succeeded' }]);
    expect(await readBack(options)).toEqual([
      { key: 'ada', anchor: '', attributes: { uid: ['ada'], cn: ['Ada'], hired: ['2020-01-02'] } },
      { key: 'bob', anchor: '', attributes: { uid: ['bob'], cn: ['Bob'], hired: ['2021-03-04'] } },
    ]);
    const titles = new ExcelJS.Workbook();
    await titles.xlsx.readFile(tmp.path);
    expect(titles.getWorksheet('Accounts')!.getCell('A1').value).toBe('Accounts export');
  });

  it('refuses, as retryable, to rewrite a workbook holding other sheets', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Accounts').addRow(['uid']);
    wb.addWorksheet('Notes').addRow(['keep me']);
    await wb.xlsx.writeFile(tmp.path);
    expect(await connector().apply([{ kind: 'create', dn: 'a', changes: [] }])).toEqual([{ status: 'retryable', message: expect.stringContaining('"Notes"') }]);
  });
});
