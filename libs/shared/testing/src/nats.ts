import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { TEST_NATS_URL } from './postgres';

/** Deletes the streams a test created: its own stream and its object store buckets (OBJ_<prefix>...). */
export async function cleanupNats(stream: string, bucketPrefix: string): Promise<void> {
  const nc = await connect({ servers: TEST_NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    const obj = `OBJ_${bucketPrefix.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    for await (const s of jsm.streams.list()) {
      if (s.config.name === stream || s.config.name.startsWith(obj)) await jsm.streams.delete(s.config.name);
    }
  } finally {
    await nc.close();
  }
}
