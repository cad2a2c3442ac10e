import { EmbeddedTransport, FsBlobStore } from '@idsync/messaging';
import { createServiceDataSource, startEmbeddedPostgres } from '@idsync/persistence';
import type { Platform } from '@idsync/runtime';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface EmbeddedPlatform extends Platform {
  dataDir: string;
  close(): Promise<void>;
}

/**
 * One embedded Postgres (PGlite, files in `dataDir/pg`), the embedded bus in its `bus`
 * schema and blobs in `dataDir/blobs`: everything survives a restart.
 */
export async function embeddedPlatform(dataDir: string, pgPort = 0): Promise<EmbeddedPlatform> {
  await mkdir(dataDir, { recursive: true });
  const pg = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), port: pgPort });
  const busDs = createServiceDataSource({ url: pg.url, schema: 'bus', entities: [], migrations: [], embedded: true });
  await busDs.initialize();
  const transport = await EmbeddedTransport.open(busDs, 'bus');
  return {
    transport,
    blobs: new FsBlobStore(join(dataDir, 'blobs')),
    databaseUrl: pg.url,
    embedded: true,
    dataDir,
    close: async () => {
      await transport.close();
      await busDs.destroy();
      await pg.stop();
    },
  };
}

/** A value kept in the data folder (mode 0600), made once: the secrets key, the first admin token. */
export async function keptSecret(dataDir: string, file: string, bytes = 24): Promise<string> {
  const path = join(dataDir, file);
  if (existsSync(path)) return (await readFile(path, 'utf8')).trim();
  const value = randomBytes(bytes).toString('base64url');
  await writeFile(path, value + '\n', { mode: 0o600 });
  return value;
}
