/**
 * A first-come, first-served lock for async code. `acquire()` resolves with the function that
 * releases it; calling that function twice is harmless.
 *
 * @example
 *   const unlock = await mutex.acquire();
 *   try { await work(); } finally { unlock(); }
 */
export class AsyncMutex {
  private held = false;
  private readonly waiters: Array<() => void> = [];

  get locked(): boolean {
    return this.held;
  }

  /** How many callers are waiting for the lock. */
  get waiting(): number {
    return this.waiters.length;
  }

  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = () => {
        this.held = true;
        resolve(this.releaser());
      };
      if (this.held) this.waiters.push(grant);
      else grant();
    });
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiters.shift();
      // Handing the lock straight to the next waiter (instead of unlocking) keeps the order
      // fair: a caller arriving in between cannot overtake the queue.
      if (next) next();
      else this.held = false;
    };
  }
}

const LOCK = Symbol.for('idsync.persistence.embedded-database-lock');

/**
 * The one lock shared by every embedded-mode pool in the process. Kept on `globalThis` so that
 * two copies of this module (e.g. loaded through different paths) still share it.
 */
export function embeddedDatabaseLock(): AsyncMutex {
  const g = globalThis as { [LOCK]?: AsyncMutex };
  return (g[LOCK] ??= new AsyncMutex());
}
