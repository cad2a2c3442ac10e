import { GatewayClient } from '@idsync/client';
import { createLogger, startTracing } from '@idsync/observability';
import { join, resolve } from 'node:path';
import { startAllServices } from './all-services';
import { runDemo } from './demo/run-demo';
import { embeddedPlatform, keptSecret } from './embedded-platform';

/**
 * `npm start`           the demo, then keeps serving (Ctrl-C stops)
 * `npm start -- --exit` the demo, then stops
 * `npm run start:server` serve only
 *
 * Data lives in IDSYNC_DATA_DIR (default .idsync/) and survives restarts.
 */
async function main(): Promise<void> {
  const [mode = 'demo', ...flags] = process.argv.slice(2);
  const log = createLogger('idsync');
  startTracing('idsync');
  const dataDir = resolve(process.env.IDSYNC_DATA_DIR ?? '.idsync');
  const port = Number(process.env.GATEWAY_PORT ?? process.env.IDSYNC_PORT ?? 8080);
  const platform = await embeddedPlatform(dataDir);
  // The demo prints its own story; service logs would drown it.
  platform.logLevel = process.env.LOG_LEVEL ?? (mode === 'demo' ? 'warn' : 'info');
  const adminToken = await keptSecret(dataDir, 'admin.token');
  const services = await startAllServices(platform, {
    gatewayPort: port,
    gatewayTokens: process.env.GATEWAY_TOKENS ?? `admin:admin:${adminToken}`,
    connectorSecretKey: process.env.CONNECTOR_SECRET_KEY ?? (await keptSecret(dataDir, 'secret.key', 32)),
    smtpUrl: process.env.NOTIFICATION_SMTP_URL ?? `file://${join(dataDir, 'mail')}`,
  });
  const stop = async () => {
    await services.close();
    await platform.close();
  };
  const say = (s: string) => process.stdout.write(s + '\n');
  say(`idsync is running — API ${services.url}/api (OpenAPI: ${services.url}/api/openapi.json, docs: ${services.url}/api/docs)`);
  say(`admin token: ${join(dataDir, 'admin.token')} — send it as "Authorization: Bearer <token>"; data in ${dataDir}`);
  try {
    if (mode === 'demo') await runDemo(new GatewayClient(services.url, adminToken), dataDir, say);
  } catch (e) {
    log.error({ err: e }, 'demo failed');
    await stop();
    process.exit(1);
  }
  if (flags.includes('--exit')) {
    await stop();
    return;
  }
  say('serving; press Ctrl-C to stop');
  const shutdown = () => void stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

void main();
