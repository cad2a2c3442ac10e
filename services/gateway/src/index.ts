/** The gateway's one door for the embedded launcher: its root module and HTTP setup. */
export { GatewayModule, configureGateway } from './gateway.module';
export type { GatewayConfig } from './gateway.config';
