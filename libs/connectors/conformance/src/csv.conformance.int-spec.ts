import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvConnector } from '@idsync/connector-csv';
import { describeConformance } from './conformance.suite';
import { mailRows } from './fixtures';

describeConformance(
  'csv destination (a file)',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'idsync-conformance-csv-'));
    const path = join(dir, 'accounts.csv');
    // An empty destination is a header without rows: a missing file is CSV.FILE_NOT_FOUND to testConnection.
    await writeFile(path, 'uid,mail\r\n');
    const connector = new CsvConnector({ path, keyColumn: 'uid' });
    return {
      connector,
      ...mailRows,
      unreachable: () => new CsvConnector({ path: join(dir, 'no-such-folder', 'accounts.csv'), keyColumn: 'uid' }),
      cleanup: async () => {
        await connector.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  { unreachableCode: 'CSV.FILE_NOT_FOUND', emptyReadCode: 'CSV.EMPTY' },
);
