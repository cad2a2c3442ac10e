/** The connector service's one door for the embedded launcher: its root module. */
export { ConnectorModule } from './connector.module';
export type { ConnectorConfig } from './connector.config';
