import { ANY_OBJECT_TYPE, type AttributeSchema, type AttributeType, type ObjectTypeSchema } from './connector';

/** A column a file connector declares (CSV and XLSX share these types). */
export interface DeclaredColumn {
  name: string;
  type?: 'string' | 'number' | 'date' | 'boolean';
  required?: boolean;
}

const TYPES: Record<NonNullable<DeclaredColumn['type']>, AttributeType> = { string: 'string', number: 'decimal', date: 'datetime', boolean: 'boolean' };

/**
 * The object type of a table-shaped file (CSV, a sheet) from its header row: one attribute per column, in file order.
 * A file has no schema of its own: a column is typed and required only when the connection declares it (`declared`),
 * otherwise a string that may be empty; the key column is required (every row needs a key) and never multi-valued;
 * every other column is multi-valued exactly when cells are split by a separator. There is no anchor.
 *
 * @example
 *   headerObjectType({ file: 'people.csv', header: ['uid', 'mail'], keyColumn: 'uid', multiValueSeparator: ';' });
 */
export function headerObjectType(spec: { file: string; header: string[]; keyColumn?: string; multiValueSeparator?: string; declared?: DeclaredColumn[] }): ObjectTypeSchema {
  const attributes = spec.header.map((name): AttributeSchema => {
    const declared = spec.declared?.find((d) => d.name === name);
    const isKey = name === spec.keyColumn;
    return { name, type: TYPES[declared?.type ?? 'string'], multiValued: !isKey && !!spec.multiValueSeparator, required: isKey || !!declared?.required };
  });
  return { name: ANY_OBJECT_TYPE, nativeNames: [spec.file], anchor: '', key: spec.keyColumn ?? '', attributes };
}
