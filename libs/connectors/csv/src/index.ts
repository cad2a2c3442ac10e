/**
 * @idsync/connector-csv — a CSV file as a streamed source, and a destination rewritten atomically when keyColumn is set.
 *
 * @example
 *   const hr = new CsvConnector({ path: 'people.csv', delimiter: ';', multiValueSeparator: '|', requiredColumns: ['mail'] });
 *   for await (const page of hr.readSnapshot({ objectType: 'user', keyAttribute: 'employeeId' })) console.log(page.length);
 */
export * from './csv.connector';
export * from './csv-errors';
export * from './csv-encoding';
export * from './csv-schema';
export * from './csv-writer';
export { neutralise } from './csv-format';
