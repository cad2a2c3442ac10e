/**
 * A column value as the text a ConnectorObject carries, or undefined for NULL (an absent attribute).
 * Dates become ISO 8601 in UTC; binary values base64; JSON documents their JSON text; booleans true/false.
 */
export function toText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
