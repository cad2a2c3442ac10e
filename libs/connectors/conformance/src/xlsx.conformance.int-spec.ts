import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XlsxConnector } from '@idsync/connector-xlsx';
import { Workbook } from 'exceljs';
import { describeConformance } from './conformance.suite';

const SHEET = 'Accounts';

describeConformance(
  'xlsx destination (a file)',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'idsync-conformance-xlsx-'));
    const path = join(dir, 'accounts.xlsx');
    // An empty destination is a sheet holding only its header: a missing file is XLSX.FILE_NOT_FOUND to testConnection.
    const workbook = new Workbook();
    workbook.addWorksheet(SHEET).addRow(['uid', 'mail']);
    await workbook.xlsx.writeFile(path);
    const connector = new XlsxConnector({ path, sheet: SHEET, keyColumn: 'uid' });
    return {
      connector,
      objectType: 'user',
      create: (i) => ({ kind: 'create', dn: `person${i}`, changes: [{ attribute: 'mail', values: [`person${i}@example.org`] }] }),
      keyOf: (i) => `person${i}`,
      update: (key, i) => ({ kind: 'update', dn: key, changes: [{ attribute: 'mail', values: [`person${i}.updated@example.org`] }] }),
      unreachable: () => new XlsxConnector({ path: join(dir, 'no-such-folder', 'accounts.xlsx'), sheet: SHEET, keyColumn: 'uid' }),
      cleanup: async () => {
        await connector.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  { unreachableCode: 'XLSX.FILE_NOT_FOUND', emptyReadCode: 'XLSX.EMPTY' },
);
