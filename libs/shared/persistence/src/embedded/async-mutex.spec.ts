import { AsyncMutex, embeddedDatabaseLock } from './async-mutex';

const tick = () => new Promise((r) => setImmediate(r));

describe('AsyncMutex', () => {
  it('lets one holder in at a time, in arrival order', async () => {
    const m = new AsyncMutex();
    const order: string[] = [];
    const run = async (name: string) => {
      const unlock = await m.acquire();
      order.push(`${name} in`);
      await tick();
      order.push(`${name} out`);
      unlock();
    };
    await Promise.all([run('a'), run('b'), run('c')]);
    expect(order).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
    expect(m.locked).toBe(false);
  });

  it('ignores a second call of the same release', async () => {
    const m = new AsyncMutex();
    const first = await m.acquire();
    const second = m.acquire();
    first();
    const unlockSecond = await second;
    first(); // must not free the lock now held by the second caller
    expect(m.locked).toBe(true);
    unlockSecond();
    expect(m.locked).toBe(false);
  });

  it('counts waiters', async () => {
    const m = new AsyncMutex();
    const unlock = await m.acquire();
    const waiting = m.acquire();
    expect(m.waiting).toBe(1);
    unlock();
    (await waiting)();
    expect(m.waiting).toBe(0);
  });

  it('gives every caller in the process the same embedded-database lock', () => {
    expect(embeddedDatabaseLock()).toBe(embeddedDatabaseLock());
  });
});
