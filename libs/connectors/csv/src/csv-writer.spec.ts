import { readAllObjects, setTo as set, useTempFolder } from '@idsync/testing';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { CsvConnector, type CsvConnectorOptions } from './csv.connector';
import { neutralise } from './csv-format';

describe('CsvConnector as a destination', () => {
  const tmp = useTempFolder('csv-write-', 'accounts.csv');
  const connector = (extra: Partial<CsvConnectorOptions> = {}) => new CsvConnector({ path: tmp.path, keyColumn: 'uid', multiValueSeparator: '|', ...extra });
  const readBack = (extra: Partial<CsvConnectorOptions> = {}) => readAllObjects(connector(extra));

  it('says it can write only when keyColumn is set', () => {
    expect(connector().capabilities.write).toBe(true);
    expect(new CsvConnector({ path: tmp.path }).capabilities.write).toBe(false);
  });

  it('creates the file, then updates, disables and deletes rows by key', async () => {
    const c = connector();
    expect(
      await c.apply([
        { kind: 'create', dn: 'ada', changes: [set('cn', 'Ada Lovelace'), set('mail', 'ada@x.org', 'al@x.org')] },
        { kind: 'create', dn: 'bob', changes: [set('cn', 'Bob')] },
        { kind: 'create', dn: 'eve', changes: [set('cn', 'Eve')] },
      ]),
    ).toEqual([{ status: 'succeeded' }, { status: 'succeeded' }, { status: 'succeeded' }].map((o) => ({ ...o, message: undefined })));
    expect(await readFile(tmp.path, 'utf8')).toBe('uid,cn,mail\r\nada,Ada Lovelace,ada@x.org|al@x.org\r\nbob,Bob,\r\neve,Eve,\r\n');

    const outcomes = await c.apply([
      { kind: 'update', dn: 'bob', changes: [set('mail', 'bob@x.org'), set('cn')] },
      { kind: 'disable', dn: 'ada', changes: [set('status', 'disabled')] },
      { kind: 'delete', dn: 'eve', changes: [] },
      { kind: 'delete', dn: 'nobody', changes: [] },
      { kind: 'update', dn: 'nobody', changes: [set('cn', 'x')] },
      { kind: 'create', dn: 'bob', changes: [set('cn', 'Robert'), set('mail', 'bob@x.org')] },
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded', 'failed', 'succeeded']);
    expect(outcomes[3].message).toMatch(/no such row/);
    expect(outcomes[5].message).toMatch(/already existed/);
    expect(await readBack()).toEqual([
      { key: 'ada', anchor: '', attributes: { uid: ['ada'], cn: ['Ada Lovelace'], mail: ['ada@x.org', 'al@x.org'], status: ['disabled'] } },
      { key: 'bob', anchor: '', attributes: { uid: ['bob'], cn: ['Robert'], mail: ['bob@x.org'] } },
    ]);
  });

  it('keeps the existing columns, order and untouched rows, and leaves no temp file behind', async () => {
    await writeFile(tmp.path, 'cn;uid;note\n"Ada";ada;"two\nlines"\nBob;bob;x\n');
    expect(await connector({ delimiter: ';' }).apply([{ kind: 'update', dn: 'bob', changes: [set('note', 'a;b')] }])).toEqual([{ status: 'succeeded' }]);
    expect(await readFile(tmp.path, 'utf8')).toBe('cn;uid;note\r\nAda;ada;"two\nlines"\r\nBob;bob;"a;b"\r\n');
    expect(await readdir(tmp.dir)).toEqual(['accounts.csv']);
  });

  it('neutralises cells a spreadsheet would run as formulas (OWASP CSV injection)', async () => {
    const evil = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'];
    await connector().apply(evil.map((v, i) => ({ kind: 'create' as const, dn: `u${i}`, changes: [set('cn', v)] })));
    const text = await readFile(tmp.path, 'utf8');
    expect(text).toContain(`u0,"'=HYPERLINK(""http://x"",""y"")"`);
    expect(text).toContain("u1,'+1+1\r\n");
    expect(text).toContain("u3,'@SUM(A1)\r\n");
    expect((await readBack()).map((o) => o.attributes.cn[0])).toEqual(evil.map((v) => `'${v}`));
    expect(neutralise('ada@x.org')).toBe('ada@x.org');
  });

  it('writes the configured encoding: Windows-1252 bytes, or a UTF-8 byte order mark', async () => {
    await connector({ encoding: 'windows-1252' }).apply([{ kind: 'create', dn: 'rene', changes: [set('cn', 'René Müller 5€')] }]);
    const bytes = await readFile(tmp.path);
    expect(bytes.includes(Buffer.from([0x52, 0x65, 0x6e, 0xe9, 0x20, 0x4d, 0xfc]))).toBe(true);
    expect(bytes.includes(0x80)).toBe(true);
    expect((await readBack({ encoding: 'windows-1252' }))[0].attributes.cn).toEqual(['René Müller 5€']);
    const refused = await connector({ encoding: 'windows-1252' }).apply([{ kind: 'create', dn: 'zh', changes: [set('cn', '张伟')] }]);
    expect(refused).toEqual([{ status: 'failed', message: expect.stringContaining('cannot hold') }]);

    await rm(tmp.path);
    await connector({ encoding: 'utf8-bom' }).apply([{ kind: 'create', dn: 'zoe', changes: [set('cn', 'Zoë')] }, { kind: 'create', dn: 'al', changes: [set('cn', 'Al')] }]);
    const utf = await readFile(tmp.path);
    expect([...utf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(utf.subarray(3).toString('utf8')).toBe('uid,cn\r\nzoe,Zoë\r\nal,Al\r\n');
  });

  it('fails single operations it cannot express, and applies the rest', async () => {
    const outcomes = await connector({ multiValueSeparator: undefined }).apply([
      { kind: 'create', dn: 'a', changes: [set('mail', 'x@x.org', 'y@x.org')] },
      { kind: 'create', dn: ' ', changes: [] },
      { kind: 'update', dn: 'a', changes: [] },
      { kind: 'create', dn: 'b', changes: [set('cn', 'B')] },
      { kind: 'update', dn: 'b', changes: [set('uid', 'c')] },
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'failed', 'failed', 'succeeded', 'failed']);
    expect(await readFile(tmp.path, 'utf8')).toBe('uid,cn\r\nb,B\r\n');
  });

  it('answers retryable for every operation when the destination cannot be loaded', async () => {
    await writeFile(tmp.path, 'uid\na\na\n');
    const outcomes = await connector().apply([{ kind: 'delete', dn: 'a', changes: [] }]);
    expect(outcomes).toEqual([{ status: 'retryable', message: expect.stringContaining('again on line 3') }]);
    expect(await readFile(tmp.path, 'utf8')).toBe('uid\na\na\n');
  });

  it('serialises concurrent apply calls so none is lost', async () => {
    const c = connector();
    await Promise.all(Array.from({ length: 5 }, (_, i) => c.apply([{ kind: 'create', dn: `u${i}`, changes: [] }])));
    expect((await readBack()).map((o) => o.key).sort()).toEqual(['u0', 'u1', 'u2', 'u3', 'u4']);
  });
});
