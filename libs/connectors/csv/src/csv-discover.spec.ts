import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvConnector } from './csv.connector';

describe('CsvConnector.discover', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'csv-discover-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function file(text: string): Promise<string> {
    const path = join(dir, 'people.csv');
    await writeFile(path, text);
    return path;
  }

  it('describes the header row: declared columns typed, the rest strings, lists where a separator is set, no anchor', async () => {
    const path = await file('\uFEFFid; mail ;hired;groups\r\n1;a@x.org;2025-01-02;admins|staff\r\n');
    const csv = new CsvConnector({ path, delimiter: ';', multiValueSeparator: '|', keyColumn: 'id', columns: [{ name: 'hired', type: 'date', required: true }] });
    expect(await csv.discover()).toEqual({
      origin: 'observed',
      objectTypes: [
        {
          name: '*',
          nativeNames: [path],
          anchor: '',
          key: 'id',
          attributes: [
            { name: 'id', type: 'string', multiValued: false, required: true },
            { name: 'mail', type: 'string', multiValued: true, required: false },
            { name: 'hired', type: 'datetime', multiValued: true, required: true },
            { name: 'groups', type: 'string', multiValued: true, required: false },
          ],
        },
      ],
    });
  });

  it('has no key without keyColumn, single values without a separator, and refuses a missing or empty file', async () => {
    const [type] = (await new CsvConnector({ path: await file('id,mail\n') }).discover()).objectTypes;
    expect(type.key).toBe('');
    expect(type.attributes.map((a) => [a.name, a.multiValued, a.required])).toEqual([
      ['id', false, false],
      ['mail', false, false],
    ]);
    await expect(new CsvConnector({ path: await file('') }).discover()).rejects.toMatchObject({ code: 'CSV.EMPTY' });
    await expect(new CsvConnector({ path: join(dir, 'missing.csv') }).discover()).rejects.toMatchObject({ code: 'CSV.FILE_NOT_FOUND' });
  });
});
