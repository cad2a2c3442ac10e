import type { Attrs } from './types';

/** Values of an attribute, matching the name exactly first and then regardless of case. */
export function valuesOf(attrs: Attrs, name: string): string[] {
  if (Object.hasOwn(attrs, name)) return attrs[name] ?? [];
  const lower = name.toLowerCase();
  for (const key of Object.keys(attrs)) if (key.toLowerCase() === lower) return attrs[key] ?? [];
  return [];
}

/** Two attribute values compared as sets: order and repetition do not matter, case does. */
export function sameValues(a: string[], b: string[]): boolean {
  if (a.length === 1 && b.length === 1) return a[0] === b[0];
  const x = new Set(a);
  const y = new Set(b);
  if (x.size !== y.size) return false;
  for (const v of x) if (!y.has(v)) return false;
  return true;
}
