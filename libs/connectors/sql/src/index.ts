/**
 * @idsync/connector-sql — a PostgreSQL or MariaDB table or view as a source (snapshot and watermark reads) or
 * a destination (batched upserts in one transaction).
 *
 * @example
 *   const db = new SqlConnector({ url: 'mysql://idsync:secret@db:3306/hr', table: 'people', keyColumn: 'employee_id', watermarkColumn: 'updated_at' });
 *   for await (const page of db.readSnapshot({ objectType: 'user' })) console.log(page.length);
 *   if (isIncremental(db)) for await (const { objects, watermark } of db.readChanges(since, { objectType: 'user' })) save(objects, watermark);
 */
export * from './sql.connector';
export { isIdentifier } from './sql-identifier';
