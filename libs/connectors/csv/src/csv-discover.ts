import { headerObjectType, type ConnectorSchema } from '@idsync/connector-core';
import { csvError, CsvErrorCode } from './csv-errors';
import type { ParsedRecord } from './csv-parser';
import type { CsvConnectorOptions } from './csv.connector';

/**
 * The file's one object type from its header row (the first record); the rest of the file is not read. An empty file
 * is CSV.EMPTY: there are no columns to describe.
 */
export async function discoverCsv(options: CsvConnectorOptions, records: AsyncIterable<ParsedRecord>): Promise<ConnectorSchema> {
  let header: string[] | undefined;
  for await (const { record } of records) {
    header = record.map((c) => c.trim());
    break;
  }
  if (!header) throw csvError(CsvErrorCode.EMPTY, 'the file has no header row, so it has no columns to describe', { file: options.path });
  const objectType = headerObjectType({ file: options.path, header, keyColumn: options.keyColumn, multiValueSeparator: options.multiValueSeparator, declared: options.columns });
  return { origin: 'observed', objectTypes: [objectType] };
}
