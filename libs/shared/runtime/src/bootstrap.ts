import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import { JetStreamTransport, NatsBlobStore } from '@idsync/messaging';
import { createLogger, int, loadEnv, startTracing, str } from '@idsync/observability';
import type { Platform } from './platform';

/** Builds the distributed platform from the environment: JetStream, object store, Postgres. */
export async function distributedPlatform(service: string): Promise<Platform & { close(): Promise<void> }> {
  startTracing(service);
  const env = loadEnv(service.toUpperCase(), {
    NATS_URL: str({ default: 'nats://127.0.0.1:4222', doc: 'NATS server with JetStream' }),
    DATABASE_URL: str({ doc: 'Postgres URL; the service uses its own schema in it' }),
    SUBJECT_PREFIX: str({ default: '', doc: 'prefix of every subject (isolates test runs)' }),
    STREAM: str({ default: 'IDSYNC' }),
    ACK_WAIT_MS: int({ default: 30_000, doc: 'how long an unacknowledged delivery waits before redelivery' }),
  });
  const transport = await JetStreamTransport.connect({ servers: env.NATS_URL, stream: env.STREAM, subjectPrefix: env.SUBJECT_PREFIX, name: service, ackWaitMs: env.ACK_WAIT_MS });
  return {
    transport,
    blobs: new NatsBlobStore(transport.connection, env.SUBJECT_PREFIX),
    databaseUrl: env.DATABASE_URL,
    embedded: false,
    close: () => transport.close(),
  };
}

/**
 * Starts one service as its own process (distributed mode) and stops it cleanly on SIGTERM.
 * `http` makes it an HTTP app listening on that port (the gateway).
 */
export async function bootstrapService(
  service: string,
  module: (platform: Platform) => DynamicModule,
  http?: { port: number },
): Promise<INestApplicationContext> {
  const log = createLogger(service);
  const platform = await distributedPlatform(service);
  const app = http
    ? await NestFactory.create(module(platform), { logger: ['error', 'warn'] })
    : await NestFactory.createApplicationContext(module(platform), { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  if (http && 'listen' in app) {
    await (app as unknown as { listen(p: number, h: string): Promise<void> }).listen(http.port, '0.0.0.0');
    log.info({ port: http.port }, `${service} listening on http://127.0.0.1:${http.port}`);
  } else {
    await app.init();
  }
  log.info(`${service} started`);
  const stop = async () => {
    await app.close();
    await platform.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return app;
}
