import { existsSync } from 'node:fs';
import { searchAll, startSlapd } from './slapd';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startSlapd', () => {
  it('runs independent servers side by side, with base entries and operational attributes', async () => {
    const [a, b] = await Promise.all([startSlapd(), startSlapd()]);
    try {
      expect(a.url).not.toBe(b.url);
      expect(a.dir).not.toBe(b.dir);
      expect(a.pid).not.toBe(b.pid);
      const entries = await searchAll(a, a.baseDn);
      expect(entries.map((e) => e.dn)).toEqual(['dc=example,dc=org', 'ou=people,dc=example,dc=org']);
      for (const e of entries) {
        expect(e.entryUUID).toMatch(/^[0-9a-f-]{36}$/);
        expect(e.modifyTimestamp).toMatch(/^\d{14}Z$/);
      }
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('keeps its data across restart and leaves nothing behind after stop', async () => {
    const slapd = await startSlapd();
    const [before] = await searchAll(slapd, `ou=people,${slapd.baseDn}`);
    const firstPid = slapd.pid;
    await slapd.restart();
    expect(slapd.pid).not.toBe(firstPid);
    expect(alive(firstPid)).toBe(false);
    const [after] = await searchAll(slapd, `ou=people,${slapd.baseDn}`);
    expect(after.entryUUID).toBe(before.entryUUID);

    const pid = slapd.pid;
    await slapd.stop();
    await slapd.stop();
    expect(alive(pid)).toBe(false);
    expect(existsSync(slapd.dir)).toBe(false);
    await expect(searchAll(slapd, slapd.baseDn)).rejects.toThrow();
  });
});
