import { JetStreamTransport, NatsBlobStore } from '@idsync/messaging';
import type { Platform } from '@idsync/runtime';
import { cleanupNats, createTestDatabase, TEST_NATS_URL, uniqueName } from '@idsync/testing';

export interface TestPlatform extends Platform {
  transport: JetStreamTransport;
  prefix: string;
  close(): Promise<void>;
}

/**
 * A distributed platform of one's own: a fresh database, a JetStream stream and subject
 * prefix, object store buckets — all removed by close().
 *
 * @example
 *   const platform = await testPlatform('history');
 *   const app = await NestFactory.createApplicationContext(HistoryModule.register(platform));
 */
export async function testPlatform(name: string): Promise<TestPlatform> {
  const db = await createTestDatabase(name);
  const prefix = uniqueName(name);
  const stream = prefix.toUpperCase();
  const transport = await JetStreamTransport.connect({ servers: TEST_NATS_URL, stream, subjectPrefix: `${prefix}.`, ackWaitMs: 5000 });
  return {
    transport,
    blobs: new NatsBlobStore(transport.connection, `${prefix}.`),
    databaseUrl: db.url,
    embedded: false,
    prefix,
    close: async () => {
      await transport.close();
      await cleanupNats(stream, `${prefix}.`);
      await db.drop();
    },
  };
}
