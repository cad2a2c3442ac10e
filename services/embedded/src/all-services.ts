import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { ConnectorModule } from '@idsync/service-connector';
import { configureGateway, GatewayModule } from '@idsync/service-gateway';
import { HistoryModule } from '@idsync/service-history';
import { NotificationModule } from '@idsync/service-notification';
import { PreparationModule } from '@idsync/service-preparation';
import { SynchronizationModule } from '@idsync/service-synchronization';
import { WorkflowModule } from '@idsync/service-workflow';
import type { Platform } from '@idsync/runtime';

export interface AllServicesOptions {
  gatewayPort: number;
  gatewayTokens: string;
  connectorSecretKey: string;
  smtpUrl: string;
  mailFrom?: string;
  portalUrl?: string;
}

export interface RunningServices {
  gateway: INestApplication;
  url: string;
  close(): Promise<void>;
}

/**
 * The seven services in one process, each in its own Nest application (its own module
 * graph, data source and bus consumers), exactly as they run apart.
 */
export async function startAllServices(platform: Platform, o: AllServicesOptions): Promise<RunningServices> {
  const quiet = { logger: ['error', 'warn'] as ('error' | 'warn')[] };
  const contexts: INestApplicationContext[] = [];
  const modules = [
    ConnectorModule.register(platform, { secretKey: o.connectorSecretKey }),
    PreparationModule.register(platform),
    SynchronizationModule.register(platform),
    WorkflowModule.register(platform),
    HistoryModule.register(platform),
    NotificationModule.register(platform, { smtpUrl: o.smtpUrl, from: o.mailFrom ?? 'idsync <idsync@localhost>', portalUrl: o.portalUrl ?? `http://127.0.0.1:${o.gatewayPort}` }),
  ];
  for (const m of modules) {
    const ctx = await NestFactory.createApplicationContext(m, quiet);
    await ctx.init();
    contexts.push(ctx);
  }
  const gateway = await NestFactory.create(GatewayModule.register(platform, { port: o.gatewayPort, tokens: o.gatewayTokens }), quiet);
  configureGateway(gateway);
  await gateway.listen(o.gatewayPort, '127.0.0.1');
  const address = gateway.getHttpServer().address() as { port: number };
  return {
    gateway,
    url: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await gateway.close();
      for (const c of contexts.reverse()) await c.close();
    },
  };
}
