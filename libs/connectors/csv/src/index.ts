/**
 * @idsync/connector-csv — a CSV file as a read-only, streamed source.
 *
 * @example
 *   const hr = new CsvConnector({ path: 'people.csv', delimiter: ';', multiValueSeparator: '|', requiredColumns: ['mail'] });
 *   for await (const page of hr.readSnapshot({ objectType: 'user', keyAttribute: 'employeeId' })) console.log(page.length);
 */
export * from './csv.connector';
export * from './csv-errors';
