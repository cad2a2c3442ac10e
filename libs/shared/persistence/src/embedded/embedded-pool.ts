import { Client, Pool, defaults, types, type PoolClient } from 'pg';
import { embeddedDatabaseLock } from './async-mutex';

type ConnectCallback = (err: Error | undefined, client: PoolClient | undefined, done: (release?: Error | boolean) => void) => void;

/** After this long waiting for the embedded database, a warning names the likely deadlock. */
const SLOW_WAIT_WARNING_MS = 30_000;

/**
 * A `pg` pool for the embedded database that lets only one client, across every pool in the
 * process, be checked out at a time.
 *
 * Why: every socket connection to the embedded server reaches the same single PGlite backend
 * session. Two clients working at once would share one transaction state (a ROLLBACK sent by one
 * undoes the other's writes) and one set of session settings. Holding a process-wide lock from
 * `connect()` until `release()` serializes all database work instead. `pool.query()` goes
 * through `connect()`, so it takes the lock too.
 *
 * HAZARD (deadlock): code that holds a client (an open transaction, a query runner) and then
 * awaits a second one (another repository outside the transaction's entity manager, another
 * data source) waits for itself forever. After 30 s of waiting a process warning
 * (`IDSYNC_EMBEDDED_DB_WAIT`) says so.
 *
 * A client given back while still inside a transaction is rolled back before the lock moves
 * on: otherwise the next client, on the same backend session, would run inside it.
 *
 * @example
 *   const pool = new EmbeddedPool({ connectionString: embedded.url, max: 1 });
 *   await pool.query('SELECT 1');
 */
export class EmbeddedPool extends Pool {
  override connect(): Promise<PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<PoolClient> | void {
    const checkout = this.checkout();
    if (!callback) return checkout;
    checkout.then(
      (client) => callback(undefined, client, client.release),
      (err: Error) => callback(err, undefined, () => undefined),
    );
  }

  private async checkout(): Promise<PoolClient> {
    const lock = embeddedDatabaseLock();
    const slow = setTimeout(
      () =>
        process.emitWarning(
          `waited ${SLOW_WAIT_WARNING_MS / 1000} s for the embedded database: a connection is probably awaited while ` +
            'another is held by the same flow (see libs/shared/persistence/README.md, "Embedded mode")',
          { code: 'IDSYNC_EMBEDDED_DB_WAIT' },
        ),
      SLOW_WAIT_WARNING_MS,
    );
    slow.unref();
    const unlock = await lock.acquire();
    clearTimeout(slow);
    let client: PoolClient;
    try {
      client = await super.connect();
    } catch (e) {
      unlock();
      throw e;
    }
    // pg-pool sets a fresh `release` on every checkout; wrap this checkout's one.
    const giveBack = client.release;
    let released = false;
    client.release = (err?: Error | boolean) => {
      if (released) return giveBack(err); // pg-pool reports the double release
      released = true;
      const status = client.getTransactionStatus();
      if (!err && (status === 'T' || status === 'E')) {
        process.emitWarning('a client was given back inside a transaction; rolling it back', { code: 'IDSYNC_EMBEDDED_DB_OPEN_TRANSACTION' });
        client.query('ROLLBACK').then(
          () => finish(giveBack, undefined, unlock),
          (e: Error) => finish(giveBack, e, unlock),
        );
        return;
      }
      finish(giveBack, err, unlock);
    };
    return client;
  }
}

function finish(giveBack: (err?: Error | boolean) => void, err: Error | boolean | undefined, unlock: () => void): void {
  try {
    giveBack(err);
  } finally {
    unlock();
  }
}

/**
 * What TypeORM's `driver` option expects (the `pg` module), with `EmbeddedPool` as its pool.
 * TypeORM calls `new driver.Pool(...)` and, for `parseInt8`, sets `driver.defaults`.
 */
export const embeddedPgDriver = { Pool: EmbeddedPool, Client, types, defaults };
