import type { ConnectorObject } from '@idsync/connector-core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvConnector } from './csv.connector';
import { isIsoDate, type CsvColumn } from './csv-schema';

describe('CsvConnector column schema', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'csv-schema-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const columns: CsvColumn[] = [
    { name: 'id', required: true },
    { name: 'mail', required: true },
    { name: 'salary', type: 'number' },
    { name: 'hired', type: 'date' },
    { name: 'active', type: 'boolean' },
  ];

  async function read(text: string, extra: { multiValueSeparator?: string; attributes?: string[] } = {}): Promise<ConnectorObject[]> {
    const path = join(dir, 'people.csv');
    await writeFile(path, text);
    const out: ConnectorObject[] = [];
    const c = new CsvConnector({ path, columns, multiValueSeparator: extra.multiValueSeparator });
    for await (const p of c.readSnapshot({ objectType: 'user', keyAttribute: 'id', attributes: extra.attributes })) out.push(...p);
    return out;
  }

  it('accepts rows that match and leaves the values as written', async () => {
    const rows = await read('id,mail,salary,hired,active\n1,a@x.org,-3.5,2024-02-29,TRUE\n2,b@x.org,,2024-02-01T09:30:00Z,0\n');
    expect(rows.map((r) => r.attributes)).toEqual([
      { id: ['1'], mail: ['a@x.org'], salary: ['-3.5'], hired: ['2024-02-29'], active: ['TRUE'] },
      { id: ['2'], mail: ['b@x.org'], hired: ['2024-02-01T09:30:00Z'], active: ['0'] },
    ]);
  });

  it('CSV.MISSING_COLUMN when a declared column is not in the header', async () => {
    await expect(read('id,mail,salary,hired\n1,a@x.org,1,2024-01-01\n')).rejects.toMatchObject({ code: 'CSV.MISSING_COLUMN', details: { row: '1', field: 'active' } });
  });

  it('CSV.MISSING_VALUE naming the file, line and column of an empty required cell', async () => {
    const path = join(dir, 'people.csv');
    await expect(read('id,mail,salary,hired,active\n1,a@x.org,,,\n2, ,,,\n')).rejects.toMatchObject({ code: 'CSV.MISSING_VALUE', details: { file: path, row: '3', field: 'mail' } });
  });

  it.each([
    ['salary', '1,000', 'number'],
    ['hired', '03/04/2025', 'date'],
    ['hired', '2023-02-29', 'date'],
    ['active', 'maybe', 'boolean'],
  ])('CSV.BAD_VALUE for %s = %p', async (field, value, type) => {
    const cells: Record<string, string> = { salary: '', hired: '', active: '', [field]: value };
    const text = `id,mail,salary,hired,active\n1,a@x.org,"${cells.salary}",${cells.hired},${cells.active}\n`;
    const err = read(text);
    await expect(err).rejects.toMatchObject({ code: 'CSV.BAD_VALUE', details: { row: '2', field, value, type } });
    await expect(err).rejects.toThrow(/people\.csv line 2: column/);
  });

  it('checks every part of a multi-valued cell, and columns the read does not keep', async () => {
    await expect(read('id,mail,salary,hired,active\n1,a@x.org,1|x,,\n', { multiValueSeparator: '|' })).rejects.toMatchObject({ code: 'CSV.BAD_VALUE', details: { value: 'x' } });
    await expect(read('id,mail,salary,hired,active\n1,a@x.org,x,,\n', { attributes: ['mail'] })).rejects.toMatchObject({ code: 'CSV.BAD_VALUE', details: { field: 'salary' } });
    expect(await read('id,mail,salary,hired,active\n1,a@x.org,2,,\n', { attributes: ['mail'] })).toEqual([{ key: '1', anchor: '', attributes: { mail: ['a@x.org'] } }]);
  });

  it('recognises ISO 8601 dates only', () => {
    expect(['2024-02-29', '2024-02-29T10:00', '2024-02-29T10:00:00.5+02:00'].every(isIsoDate)).toBe(true);
    expect(['2024-13-01', '29/02/2024', '2024-2-1', ''].some(isIsoDate)).toBe(false);
  });
});
