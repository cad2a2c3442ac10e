import { int, loadEnv, str } from '@idsync/observability';

export interface GatewayConfig {
  port: number;
  /** name:role+role:token,... (see auth/tokens.ts) */
  tokens: string;
}

export function gatewayConfigFromEnv(): GatewayConfig {
  const env = loadEnv('GATEWAY', {
    PORT: int({ default: 8080 }),
    TOKENS: str({ doc: 'API tokens: name:role+role:token,... roles admin, operator, approver, viewer' }),
  });
  return { port: env.PORT, tokens: env.TOKENS };
}
