import type { AttributeChangeOp, ConnectorObject, ReadOptions } from '@idsync/connector-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh folder under os.tmpdir() for each test of the enclosing describe, removed after it
 * (registers beforeEach and afterEach). `path` is `fileName` inside it: not created, only named.
 *
 * @example
 *   const tmp = useTempFolder('csv-write-', 'accounts.csv');
 *   it('writes', async () => { await writeFile(tmp.path, 'uid\n'); expect(await readdir(tmp.dir)).toEqual(['accounts.csv']); });
 */
export function useTempFolder(prefix: string, fileName = 'file'): { readonly dir: string; readonly path: string } {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));
  return {
    get dir() {
      return dir;
    },
    get path() {
      return join(dir, fileName);
    },
  };
}

/** Every object of a snapshot read, all pages in one array. */
export async function readAllObjects(connector: { readSnapshot(options: ReadOptions): AsyncIterable<ConnectorObject[]> }, options: ReadOptions = { objectType: 'user' }): Promise<ConnectorObject[]> {
  const out: ConnectorObject[] = [];
  for await (const page of connector.readSnapshot(options)) out.push(...page);
  return out;
}

/** A change that sets `attribute` to `values` (none: clears it), for operations written in tests. */
export function setTo(attribute: string, ...values: string[]): AttributeChangeOp {
  return { attribute, values };
}
