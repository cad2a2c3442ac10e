// Runs PGlite and its socket server on a worker thread (started by embedded-postgres.ts).
//
// Why a thread: PGlite executes Postgres as WebAssembly synchronously, so on the main thread
// every query would stall the services' event loop; and PGlite loads its pieces with dynamic
// import(), which a vm sandbox such as Jest's refuses. Plain JavaScript so that it needs no
// TypeScript loader.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require('@electric-sql/pglite');
const { PGLiteSocketServer } = require('@electric-sql/pglite-socket');

async function main() {
  const { dataDir, port, maxConnections } = workerData;
  const db = await PGlite.create({ dataDir });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections });
  try {
    await server.start();
  } catch (e) {
    await db.close();
    throw e;
  }
  const shutdown = async () => {
    try {
      await server.stop();
    } finally {
      // stop() has already asked PGlite to roll back a disconnected client's open transaction;
      // close() waits behind it on PGlite's own query lock.
      if (!db.closed) await db.close();
    }
  };
  parentPort.on('message', (m) => {
    if (m.type !== 'stop') return;
    shutdown().then(
      () => parentPort.postMessage({ type: 'stopped' }),
      (e) => parentPort.postMessage({ type: 'stopped', error: describe(e) }),
    );
  });
  // getServerConn() answers "host:port" once listening, with the port the system chose for 0.
  parentPort.postMessage({ type: 'listening', port: Number(server.getServerConn().split(':').pop()) });
}

function describe(e) {
  return e instanceof Error ? e.stack || e.message : String(e);
}

main().catch((e) => parentPort.postMessage({ type: 'failed', error: describe(e) }));
