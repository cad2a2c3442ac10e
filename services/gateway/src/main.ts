import { NestFactory } from '@nestjs/core';
import { distributedPlatform } from '@idsync/runtime';
import { createLogger } from '@idsync/observability';
import { configureGateway, GatewayModule } from './gateway.module';
import { gatewayConfigFromEnv } from './gateway.config';

async function main(): Promise<void> {
  const log = createLogger('gateway');
  const config = gatewayConfigFromEnv();
  const platform = await distributedPlatform('gateway');
  const app = await NestFactory.create(GatewayModule.register(platform, config), { logger: ['error', 'warn'] });
  configureGateway(app);
  app.enableShutdownHooks();
  await app.listen(config.port, '0.0.0.0');
  log.info({ port: config.port }, `gateway listening on http://127.0.0.1:${config.port} (API document: /api/openapi.json)`);
  process.once('SIGTERM', () => void app.close().then(() => platform.close()).then(() => process.exit(0)));
}

void main();
