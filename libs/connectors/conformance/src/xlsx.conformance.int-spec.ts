import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XlsxConnector } from '@idsync/connector-xlsx';
import { Workbook } from 'exceljs';
import { describeConformance } from './conformance.suite';
import { mailRows } from './fixtures';

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
      ...mailRows,
      unreachable: () => new XlsxConnector({ path: join(dir, 'no-such-folder', 'accounts.xlsx'), sheet: SHEET, keyColumn: 'uid' }),
      cleanup: async () => {
        await connector.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  { unreachableCode: 'XLSX.FILE_NOT_FOUND', emptyReadCode: 'XLSX.EMPTY' },
);
