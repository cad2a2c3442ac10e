/**
 * RFC 7644 §3.4.2.2 filters, only as far as the connector needs them: `attr eq "value"`.
 * A compValue is a JSON string, so `"` and `\` (and control characters) must be escaped the JSON
 * way; anything else would let a value end the string early and change the filter.
 */
export function escapeFilterValue(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/** `userName eq "O\"Brien"`: the value quoted and escaped as a JSON string. */
export function eqFilter(attribute: string, value: string): string {
  return `${attribute} eq ${JSON.stringify(value)}`;
}

/**
 * Reads `attr eq "value"` back (the form Entra sends: `userName eq "Test_User_..."`), leniently:
 * any case for `eq`, spaces around it, a JSON-escaped value. Undefined for any other filter.
 */
export function parseEqFilter(filter: string): { attribute: string; value: string } | undefined {
  const m = /^\s*([A-Za-z][\w.:$-]*)\s+eq\s+("(?:[^"\\]|\\.)*")\s*$/i.exec(filter);
  if (!m) return undefined;
  try {
    return { attribute: m[1], value: JSON.parse(m[2]) as string };
  } catch {
    return undefined;
  }
}
