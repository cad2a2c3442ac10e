import { compileExpression, IGNORE_FLOW, type AttributeValues } from '@idsync/expressions';

/** Reads `--input` JSON ({"givenName": "Zoë", "groups": ["a","b"]}) into attribute values. */
export function parseInput(json: string | undefined): AttributeValues {
  if (!json) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new Error(`--input is not JSON: ${(e as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('--input must be a JSON object of attribute values');
  const out: AttributeValues = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    out[k] = (Array.isArray(v) ? v : [v]).map((x) => String(x));
  }
  return out;
}

/**
 * `idsync expr '<expression>' --input '<json>'`: evaluates an attribute-mapping expression
 * against one object and prints the result as JSON (null: no value; "IgnoreFlow": the
 * attribute would not be written).
 */
export function exprCommand(expression: string, input: string | undefined): string {
  const fn = compileExpression(expression);
  const result = fn(parseInput(input));
  return JSON.stringify(result === IGNORE_FLOW ? { ignoreFlow: true } : { result });
}
