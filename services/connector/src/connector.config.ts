import { loadEnv, str } from '@idsync/observability';

export interface ConnectorConfig {
  /** Key that seals connection secrets (at least 16 characters). */
  secretKey: string;
}

export const CONNECTOR_CONFIG = Symbol('CONNECTOR_CONFIG');

export function connectorConfigFromEnv(): ConnectorConfig {
  const env = loadEnv('CONNECTOR', { SECRET_KEY: str({ doc: 'key that seals connection secrets, 16+ characters' }) });
  return { secretKey: env.SECRET_KEY };
}
