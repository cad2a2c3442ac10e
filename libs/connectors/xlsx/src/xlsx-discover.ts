import { headerObjectType, type ConnectorSchema } from '@idsync/connector-core';
import { cellText } from './xlsx-cell';
import { xlsxError, XlsxErrorCode } from './xlsx-errors';
import type { XlsxLimits } from './xlsx-limits';
import { readSheetRows } from './xlsx-sheet-reader';
import { readHeader } from './xlsx-table';
import type { XlsxConnectorOptions } from './xlsx.connector';

/**
 * The sheet's one object type from its header row (checked as a read checks it: named, unique, the key and the
 * declared columns there); rows below it are not read. A sheet without its header row is XLSX.EMPTY.
 */
export async function discoverXlsx(options: XlsxConnectorOptions, limits: Required<XlsxLimits>): Promise<ConnectorSchema> {
  const { path: file, sheet } = options;
  const headerRow = options.headerRow ?? 1;
  for await (const { number, cells } of readSheetRows(file, sheet, limits)) {
    if (number < headerRow) continue;
    if (number > headerRow) break;
    let first: string | undefined;
    try {
      first = cellText(cells[0])?.trim();
    } catch {
      first = undefined;
    }
    // Without a keyColumn any column may key a read; the first stands in so that the header is checked all the same.
    const header = readHeader({ file, sheet }, number, cells, options.keyColumn ?? first ?? '', options.columns ?? []);
    const objectType = headerObjectType({ file: `${file}#${sheet}`, header: header.columns, keyColumn: options.keyColumn, multiValueSeparator: options.multiValueSeparator, declared: options.columns });
    return { origin: 'observed', objectTypes: [objectType] };
  }
  throw xlsxError(XlsxErrorCode.EMPTY, `the sheet has no header row (row ${headerRow}), so it has no columns to describe`, { file, sheet });
}
