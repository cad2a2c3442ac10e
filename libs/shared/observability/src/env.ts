/**
 * One validated environment class per service, failing fast at boot with every problem
 * listed at once. A spec names each variable, whether it is required, its default, and
 * how to parse it.
 *
 * @example
 *   const env = loadEnv('GATEWAY', { PORT: int({ default: 8080 }), NATS_URL: str() });
 *   // reads GATEWAY_PORT (or PORT), NATS_URL
 */
export interface VarSpec<T> {
  parse(raw: string): T;
  default?: T;
  /** Look up `<PREFIX>_<NAME>` first, then the bare name (shared variables like NATS_URL). */
  shared?: boolean;
  doc?: string;
}

export function str(opts: { default?: string; shared?: boolean; doc?: string } = {}): VarSpec<string> {
  return { parse: (r) => r, ...opts };
}
export function int(opts: { default?: number; shared?: boolean; doc?: string } = {}): VarSpec<number> {
  return {
    parse: (r) => {
      const n = Number(r);
      if (!Number.isInteger(n)) throw new Error(`expected an integer, got "${r}"`);
      return n;
    },
    ...opts,
  };
}
export function bool(opts: { default?: boolean; shared?: boolean; doc?: string } = {}): VarSpec<boolean> {
  return {
    parse: (r) => {
      if (/^(1|true|yes|on)$/i.test(r)) return true;
      if (/^(0|false|no|off)$/i.test(r)) return false;
      throw new Error(`expected true or false, got "${r}"`);
    },
    ...opts,
  };
}

export class EnvError extends Error {
  readonly code = 'CONFIG.INVALID';
}

export function loadEnv<S extends Record<string, VarSpec<unknown>>>(
  prefix: string,
  spec: S,
  source: Record<string, string | undefined> = process.env,
): { [K in keyof S]: S[K] extends VarSpec<infer T> ? T : never } {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, s] of Object.entries(spec)) {
    const full = `${prefix}_${name}`;
    const raw = source[full] ?? (s.shared !== false ? source[name] : undefined);
    if (raw === undefined || raw === '') {
      if (s.default === undefined) problems.push(`${full} is required${s.doc ? ` (${s.doc})` : ''}`);
      else out[name] = s.default;
      continue;
    }
    try {
      out[name] = s.parse(raw);
    } catch (e) {
      problems.push(`${full}: ${(e as Error).message}`);
    }
  }
  if (problems.length) throw new EnvError(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return out as never;
}
