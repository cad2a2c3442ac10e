/**
 * @idsync/connector-xlsx — one sheet of an Excel workbook as a streamed source, and as a destination
 * rewritten atomically when keyColumn is set. Hostile workbooks are refused before they are parsed.
 *
 * @example
 *   const hr = new XlsxConnector({ path: 'people.xlsx', sheet: 'Staff', keyColumn: 'employeeId' });
 *   for await (const page of hr.readSnapshot({ objectType: 'user' })) console.log(page.length);
 */
export * from './xlsx.connector';
export * from './xlsx-errors';
export * from './xlsx-limits';
export { cellText, type XlsxColumn, type XlsxColumnType } from './xlsx-cell';
export { inspectWorkbook, type WorkbookFacts } from './xlsx-inspect';
