import type { ConnectorObject, ReadOptions } from '@idsync/connector-core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvConnector, type CsvConnectorOptions } from './csv.connector';

describe('CsvConnector', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'csv-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function file(text: string | Buffer, name = 'people.csv'): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  }

  async function readPages(options: CsvConnectorOptions, read: Partial<ReadOptions> = {}): Promise<ConnectorObject[][]> {
    const pages: ConnectorObject[][] = [];
    for await (const p of new CsvConnector(options).readSnapshot({ objectType: 'user', keyAttribute: 'id', ...read })) pages.push(p);
    return pages;
  }

  const readAll = async (options: CsvConnectorOptions, read: Partial<ReadOptions> = {}) => (await readPages(options, read)).flat();

  it('turns rows into objects keyed by the trimmed key, skipping empty cells', async () => {
    const path = await file('id,cn,mail,title\n 1 ,Ada Lovelace,ada@example.org,\n2,Grace Hopper,,  \n');
    expect(await readAll({ path })).toEqual([
      { key: '1', anchor: '', attributes: { id: [' 1 '], cn: ['Ada Lovelace'], mail: ['ada@example.org'] } },
      { key: '2', anchor: '', attributes: { id: ['2'], cn: ['Grace Hopper'] } },
    ]);
  });

  it('strips a UTF-8 BOM so the first column keeps its name, and keeps non-ASCII values', async () => {
    const path = await file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id;cn\r\n1;Zoë Ångström\r\n')]));
    expect(await readAll({ path, delimiter: ';' })).toEqual([{ key: '1', anchor: '', attributes: { id: ['1'], cn: ['Zoë Ångström'] } }]);
  });

  it('reads another encoding when told to', async () => {
    const path = await file(Buffer.from('id,cn\n1,Zoë\n', 'latin1'));
    expect((await readAll({ path, encoding: 'latin1' }))[0].attributes.cn).toEqual(['Zoë']);
  });

  it('decodes a Windows-1252 file as it streams (é, ü and € are single bytes there)', async () => {
    // 0xE9 é, 0xFC ü, 0x80 €: the bytes Excel writes for "CSV" in Western European locales.
    const bytes = Buffer.from([...Buffer.from('id;cn;price\r\n1;Ren'), 0xe9, ...Buffer.from(' M'), 0xfc, ...Buffer.from('ller;5 '), 0x80, ...Buffer.from('\r\n')]);
    const path = await file(bytes);
    expect(await readAll({ path, delimiter: ';', encoding: 'windows-1252' })).toEqual([{ key: '1', anchor: '', attributes: { id: ['1'], cn: ['René Müller'], price: ['5 €'] } }]);
  });

  it("reads a UTF-8 file with a byte order mark as 'utf8-bom' and as 'utf8'", async () => {
    const path = await file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,cn\n1,Zoë €\n')]));
    for (const encoding of ['utf8', 'utf8-bom'] as const) {
      expect(await readAll({ path, encoding })).toEqual([{ key: '1', anchor: '', attributes: { id: ['1'], cn: ['Zoë €'] } }]);
    }
  });

  it('keeps line breaks and delimiters inside quoted cells', async () => {
    const path = await file('id,address,cn\r\n1,"1 Main St\r\nSpringfield, IL",Ada\r\n2,"say ""hi""\nthere",Bob\r\n');
    expect(await readAll({ path })).toEqual([
      { key: '1', anchor: '', attributes: { id: ['1'], address: ['1 Main St\r\nSpringfield, IL'], cn: ['Ada'] } },
      { key: '2', anchor: '', attributes: { id: ['2'], address: ['say "hi"\nthere'], cn: ['Bob'] } },
    ]);
  });

  it('uses keyColumn as the key when the read names none', async () => {
    const path = await file('uid,cn\nada,Ada\n');
    expect(await readAll({ path, keyColumn: 'uid' }, { keyAttribute: undefined })).toEqual([{ key: 'ada', anchor: '', attributes: { uid: ['ada'], cn: ['Ada'] } }]);
  });

  it('splits multi-valued cells on the separator, trimming parts and dropping empty ones', async () => {
    const path = await file('id,mail\n1,"a@x.org; b@x.org;;"\n2,;\n');
    expect(await readAll({ path, multiValueSeparator: ';' })).toEqual([
      { key: '1', anchor: '', attributes: { id: ['1'], mail: ['a@x.org', 'b@x.org'] } },
      { key: '2', anchor: '', attributes: { id: ['2'] } },
    ]);
  });

  it('keeps only the requested columns', async () => {
    const path = await file('id,cn,mail\n1,Ada,ada@x.org\n');
    expect(await readAll({ path }, { attributes: ['mail'] })).toEqual([{ key: '1', anchor: '', attributes: { mail: ['ada@x.org'] } }]);
  });

  it('yields pages of pageSize and a last partial page', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => `${i},n${i}`).join('\n');
    const path = await file(`id,cn\n${rows}\n`);
    const pages = await readPages({ path }, { pageSize: 10 });
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages[2][4].key).toBe('24');
  });

  it('answers apply with read-only failures and says it cannot write', async () => {
    const c = new CsvConnector({ path: await file('id\n1\n') });
    expect(c.capabilities.write).toBe(false);
    expect(await c.apply([{ kind: 'create', dn: 'x', changes: [] }, { kind: 'delete', dn: 'y', changes: [] }])).toEqual([
      { status: 'failed', message: expect.stringContaining('read-only') },
      { status: 'failed', message: expect.stringContaining('read-only') },
    ]);
  });

  describe('rejects bad input with a code and the place', () => {
    it('CSV.FILE_NOT_FOUND for a missing path, from testConnection and from a read', async () => {
      const path = join(dir, 'nope.csv');
      await expect(new CsvConnector({ path }).testConnection()).rejects.toMatchObject({ code: 'CSV.FILE_NOT_FOUND', details: { file: path } });
      await expect(readAll({ path })).rejects.toMatchObject({ code: 'CSV.FILE_NOT_FOUND' });
      await expect(readAll({ path: dir })).rejects.toMatchObject({ code: 'CSV.FILE_NOT_FOUND' });
    });

    it('CSV.EMPTY for an empty file and for a header without rows', async () => {
      await expect(readAll({ path: await file('', 'empty.csv') })).rejects.toMatchObject({ code: 'CSV.EMPTY', message: expect.stringContaining('no header') });
      await expect(readAll({ path: await file('\ufeff\n\n', 'blank.csv') })).rejects.toMatchObject({ code: 'CSV.EMPTY' });
      await expect(readAll({ path: await file('id,cn\n', 'header.csv') })).rejects.toMatchObject({ code: 'CSV.EMPTY', message: expect.stringContaining('no data rows') });
    });

    it('CSV.MISSING_COLUMN for the key column, a required column, or a blank header cell', async () => {
      const path = await file('ID,cn\n1,a\n');
      await expect(readAll({ path })).rejects.toMatchObject({ code: 'CSV.MISSING_COLUMN', details: { file: path, row: '1', field: 'id' } });
      const p2 = await file('id,cn\n1,a\n', 'p2.csv');
      await expect(readAll({ path: p2, requiredColumns: ['cn', 'mail'] })).rejects.toMatchObject({ code: 'CSV.MISSING_COLUMN', details: { field: 'mail' } });
      const p3 = await file('id,,cn\n1,,a\n', 'p3.csv');
      await expect(readAll({ path: p3 })).rejects.toMatchObject({ code: 'CSV.MISSING_COLUMN', details: { field: 'column 2' } });
    });

    it('CSV.DUPLICATE_COLUMN when two header cells share a name', async () => {
      await expect(readAll({ path: await file('id,cn, cn\n1,a,b\n') })).rejects.toMatchObject({ code: 'CSV.DUPLICATE_COLUMN', details: { field: 'cn' } });
    });

    it('CSV.MISSING_KEY with the line of the row', async () => {
      await expect(readAll({ path: await file('id,cn\n1,a\n\n  ,b\n') })).rejects.toMatchObject({ code: 'CSV.MISSING_KEY', details: { row: '4', field: 'id' } });
    });

    it('CSV.DUPLICATE_KEY naming both lines, counting lines inside quoted values', async () => {
      const path = await file('id,note\n7,"two\nlines"\n8,x\n 7 ,y\n');
      const err = readAll({ path });
      await expect(err).rejects.toMatchObject({ code: 'CSV.DUPLICATE_KEY', details: { row: '5', firstRow: '2', field: 'id', key: '7' } });
      await expect(err).rejects.toThrow(/line 2 and again on line 5/);
    });

    it('CSV.MALFORMED for a broken quote, with the line csv-parse reports', async () => {
      await expect(readAll({ path: await file('id,cn\n1,a\n2,"bro"ken\n3,c\n') })).rejects.toMatchObject({ code: 'CSV.MALFORMED', details: { row: '3', reason: 'CSV_INVALID_CLOSING_QUOTE' } });
      await expect(readAll({ path: await file('id,cn\n1,"never closed\n', 'q.csv') })).rejects.toMatchObject({ code: 'CSV.MALFORMED', details: { reason: 'CSV_QUOTE_NOT_CLOSED' } });
    });

    it('CSV.COLUMN_COUNT for a row with more or fewer fields than the header', async () => {
      await expect(readAll({ path: await file('id,cn\n1,a\n2,b,extra\n') })).rejects.toMatchObject({ code: 'CSV.COLUMN_COUNT', details: { row: '3' } });
      await expect(readAll({ path: await file('id,cn\n1\n', 'few.csv') })).rejects.toMatchObject({ code: 'CSV.COLUMN_COUNT', details: { row: '2' } });
    });

    it('throws a late error after the earlier pages were yielded', async () => {
      const rows = Array.from({ length: 30 }, (_, i) => `${i}`).join('\n');
      const path = await file(`id\n${rows}\n\n`.replace('\n29\n', '\n5\n'));
      const got: number[] = [];
      const read = (async () => {
        for await (const p of new CsvConnector({ path }).readSnapshot({ objectType: 'user', keyAttribute: 'id', pageSize: 10 })) got.push(p.length);
      })();
      await expect(read).rejects.toMatchObject({ code: 'CSV.DUPLICATE_KEY', details: { row: '31', firstRow: '7' } });
      expect(got).toEqual([10, 10]);
    });

    it('CONNECTOR.CONFIG when no key column is given', async () => {
      const path = await file('id\n1\n');
      await expect(readAll({ path }, { keyAttribute: undefined })).rejects.toMatchObject({ code: 'CONNECTOR.CONFIG' });
    });
  });
});
