import { timingSafeEqual, createHash } from 'node:crypto';
import type { Role } from './roles.decorator';

export interface Principal {
  name: string;
  roles: Role[];
}

const ROLES: Role[] = ['admin', 'operator', 'approver', 'viewer'];

/**
 * API tokens from GATEWAY_TOKENS: `name:role+role:token` entries separated by commas, e.g.
 * `alice:operator:s3cret,bob:approver+viewer:t0ken`. Tokens are compared in constant time.
 */
export class TokenRegistry {
  private readonly entries: { digest: Buffer; principal: Principal }[];

  constructor(spec: string) {
    this.entries = spec
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((entry) => {
        const [name, roles, ...rest] = entry.split(':');
        const token = rest.join(':');
        if (!name || !roles || token.length < 8) throw new Error(`GATEWAY_TOKENS entry "${name ?? entry}" must be name:role+role:token (token 8+ characters)`);
        const parsed = roles.split('+') as Role[];
        for (const r of parsed) if (!ROLES.includes(r)) throw new Error(`GATEWAY_TOKENS: unknown role "${r}" for ${name} (${ROLES.join(', ')})`);
        return { digest: digest(token), principal: { name, roles: parsed } };
      });
  }

  get size(): number {
    return this.entries.length;
  }

  find(token: string): Principal | undefined {
    const d = digest(token);
    return this.entries.find((e) => timingSafeEqual(e.digest, d))?.principal;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
