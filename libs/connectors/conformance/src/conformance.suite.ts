import { ConnectorError, objectTypeSchema, type AttributeChangeOp, type AttributeType, type Connector, type ConnectorObject, type ConnectorOperation, type OperationOutcome } from '@idsync/connector-core';

/**
 * What a connector's integration test hands the suite: a writable destination on a real peer, empty at the start of
 * every behaviour, and how to address the objects it writes. `harness()` is called before each behaviour and
 * `cleanup()` after it, so each behaviour starts from an empty destination (a fresh OU, table, file or server).
 */
export interface ConformanceHarness {
  /** A writable destination, empty when handed over. */
  connector: Connector;
  /** The ReadOptions.objectType that reads back what `create` writes. */
  objectType: string;
  /** A create for the i-th test object (i = 0, 1, 2...); two different i never collide. */
  create(i: number): ConnectorOperation;
  /**
   * How the i-th object is addressed afterwards and keyed in a snapshot: its DN, its key value, or for a peer that
   * assigns ids (SCIM) the id read from the create's outcome message (`id=<id>`).
   */
  keyOf(i: number, outcome?: OperationOutcome): string;
  /** An update of the i-th object that changes its first change's attribute to a value `create` did not write. */
  update(key: string, i: number): ConnectorOperation;
  /**
   * For a peer whose objects have DNs (directories): the DN the i-th object is renamed or moved to. Unset for peers
   * without DNs (files, tables, SCIM), which must refuse a rename as failed and change nothing.
   */
  renamedKeyOf?(i: number): string;
  /**
   * An attribute `create` writes and whether discover() must call it multi-valued on this peer: the peer's schema
   * says so (LDAP mail is multi-valued, AD title single-valued), or for a file, its configuration and contents.
   */
  discovered: { attribute: string; multiValued: boolean };
  /**
   * An attribute of the objects `create` writes that add and remove change, and two values `create` does not write.
   * `multiValued`: the peer keeps several values in it (a directory's description), so add joins them; otherwise it
   * holds one (a table column, a cell without a separator, a SCIM title): add sets it when empty and fails naming the
   * attribute when another value is there.
   */
  valueModes: { attribute: string; multiValued: boolean; values: [string, string] };
  /** The same kind of connector aimed at a peer that cannot be reached: a closed port, a file that cannot exist. */
  unreachable(): Connector;
  cleanup(): Promise<void>;
}

export const BEHAVIOURS = {
  testConnection: 'testConnection succeeds',
  emptyRead: 'an empty destination reads as no objects',
  createThenRead: 'creating 3 objects, a snapshot returns exactly them, with anchors stable between reads and as readAnchors gives them',
  createTwice: 'a create applied twice succeeds twice and leaves one object',
  updateTwice: 'an update changes the value read back, and applying it twice gives the same state',
  deleteTwice: 'a delete succeeds, deleting again succeeds too, and the object is gone from the next snapshot',
  paging: 'a page size smaller than the object count returns every object exactly once',
  rename: 'a rename with a change keeps the anchor and applied twice gives the same state; a peer without DNs refuses it and changes nothing',
  valueModes: 'an update that adds or removes values, applied twice, gives the state it gave once, with the changes of one operation in their order; a single-valued attribute refuses a second value',
  unreachable: 'an unreachable peer makes testConnection reject with a ConnectorError and its documented code',
  discover: 'discover describes the object type: every attribute create writes, typed, with the multi-valuedness the peer gives it, and an anchor exactly when objects have one',
} as const;

const ATTRIBUTE_TYPES: AttributeType[] = ['string', 'integer', 'decimal', 'boolean', 'datetime', 'binary', 'dn'];

export type Behaviour = keyof typeof BEHAVIOURS;

/** Where a connector documents something other than the default behaviour. */
export interface ConformanceExpectations {
  /** The code testConnection rejects with when the peer cannot be reached. Default `CONNECTOR.UNREACHABLE`. */
  unreachableCode?: string;
  /**
   * Set when the connector documents an empty peer as an error rather than an empty snapshot (CSV.EMPTY,
   * XLSX.EMPTY: an empty source would otherwise remove every object downstream): the read must reject with it.
   */
  emptyReadCode?: string;
}

/**
 * Registers one `describe` block that runs every behaviour of {@link BEHAVIOURS} against the connector the harness
 * builds. Each behaviour gets a fresh harness, so they do not see each other's objects.
 *
 * @example
 *   let slapd: SlapdHandle;
 *   beforeAll(async () => (slapd = await startSlapd()));
 *   afterAll(() => slapd?.stop());
 *   describeConformance('ldap', async () => {
 *     const ou = await freshOu();
 *     const connector = new LdapConnector({ url: slapd.url, bindDn: slapd.bindDn, password: slapd.password, baseDn: slapd.baseDn, searchBase: ou });
 *     return { connector, objectType: 'user', create: (i) => ..., keyOf: (i) => `uid=c${i},${ou}`, update: ..., unreachable: ..., cleanup: () => connector.close() };
 *   });
 */
export function describeConformance(name: string, harness: () => Promise<ConformanceHarness>, expectations: ConformanceExpectations = {}): void {
  describe(`${name} conformance`, () => {
    let h: ConformanceHarness;
    beforeEach(async () => {
      h = await harness();
    });
    afterEach(async () => {
      await h?.cleanup();
    });

    // Every connector passes every behaviour: there is no way to skip one.
    const behaviour = (id: Behaviour, body: () => Promise<void>) => it(BEHAVIOURS[id], body);

    const read = (pageSize?: number) => readPages(h.connector, h.objectType, pageSize);
    const snapshot = async () => (await read()).flat();
    const createAll = async (count: number): Promise<string[]> => {
      const ops = Array.from({ length: count }, (_, i) => h.create(i));
      const outcomes = await h.connector.apply(ops);
      expect(outcomes.map((o) => o.status)).toEqual(ops.map(() => 'succeeded'));
      return outcomes.map((o, i) => h.keyOf(i, o));
    };

    behaviour('testConnection', async () => {
      await expect(h.connector.testConnection()).resolves.toBeUndefined();
    });

    behaviour('emptyRead', async () => {
      if (expectations.emptyReadCode) {
        const error = await rejection(read());
        expect(error).toBeInstanceOf(ConnectorError);
        expect(error).toMatchObject({ code: expectations.emptyReadCode });
      } else {
        expect(await snapshot()).toEqual([]);
      }
    });

    behaviour('createThenRead', async () => {
      const keys = await createAll(3);
      expect(new Set(keys).size).toBe(3);
      const first = await snapshot();
      expect(sorted(first.map((o) => o.key))).toEqual(sorted(keys));
      const second = await snapshot();
      expect(anchorsByKey(second)).toEqual(anchorsByKey(first));
      const anchors = first.map((o) => o.anchor).filter((a) => a !== '');
      // A connector without anchors gives '' for all; one with anchors must give each object its own.
      expect(new Set(anchors).size).toBe(anchors.length);
      // Anchors read back right after the creates (what links are made of) are the ones snapshots give.
      if (h.connector.readAnchors) expect(Object.fromEntries(await h.connector.readAnchors(keys))).toEqual(anchorsByKey(first));
    });

    behaviour('createTwice', async () => {
      const [once] = await h.connector.apply([h.create(0)]);
      const [twice] = await h.connector.apply([h.create(0)]);
      expect(once.status).toBe('succeeded');
      expect(twice.status).toBe('succeeded');
      expect(h.keyOf(0, twice)).toBe(h.keyOf(0, once));
      expect((await snapshot()).map((o) => o.key)).toEqual([h.keyOf(0, once)]);
    });

    behaviour('updateTwice', async () => {
      const [key] = await createAll(1);
      const update = h.update(key, 0);
      const [changed] = update.changes;
      const valueOf = async () => {
        const objects = await snapshot();
        expect(objects.map((o) => o.key)).toEqual([key]);
        return attribute(objects[0], changed.attribute);
      };
      expect(await valueOf()).not.toEqual(changed.values);
      expect(await h.connector.apply([update])).toEqual([expect.objectContaining({ status: 'succeeded' })]);
      const afterOnce = await snapshot();
      expect(attribute(afterOnce[0], changed.attribute)).toEqual(changed.values);
      expect(await h.connector.apply([update])).toEqual([expect.objectContaining({ status: 'succeeded' })]);
      expect(await snapshot()).toEqual(afterOnce);
    });

    behaviour('deleteTwice', async () => {
      const [gone, kept] = await createAll(2);
      const del: ConnectorOperation = { kind: 'delete', dn: gone, changes: [] };
      expect(await h.connector.apply([del])).toEqual([expect.objectContaining({ status: 'succeeded' })]);
      expect(await h.connector.apply([del])).toEqual([expect.objectContaining({ status: 'succeeded' })]);
      // One object stays: file destinations document an empty file as an error rather than an empty snapshot.
      expect((await snapshot()).map((o) => o.key)).toEqual([kept]);
    });

    behaviour('paging', async () => {
      const keys = await createAll(5);
      const pages = await read(2);
      expect(pages.length).toBeGreaterThanOrEqual(3);
      for (const page of pages) expect(page.length).toBeLessThanOrEqual(2);
      expect(sorted(pages.flat().map((o) => o.key))).toEqual(sorted(keys));
    });

    behaviour('rename', async () => {
      const [key] = await createAll(1);
      const before = await snapshot();
      const [changed] = h.update(key, 0).changes;
      if (!h.renamedKeyOf) {
        const [refused] = await h.connector.apply([{ kind: 'rename', dn: key, newDn: `${key}-renamed`, changes: [changed] }]);
        expect(refused).toMatchObject({ status: 'failed', message: expect.stringMatching(/rename/) });
        expect(await snapshot()).toEqual(before);
        return;
      }
      const rename: ConnectorOperation = { kind: 'rename', dn: key, newDn: h.renamedKeyOf(0), changes: [changed] };
      expect(await h.connector.apply([rename])).toEqual([expect.objectContaining({ status: 'succeeded' })]);
      const after = await snapshot();
      expect(after.map((o) => o.key)).toEqual([h.renamedKeyOf(0)]);
      expect(after[0].anchor).toBe(before[0].anchor);
      expect(attribute(after[0], changed.attribute)).toEqual(changed.values);
      expect(await h.connector.apply([rename])).toEqual([expect.objectContaining({ status: 'succeeded' })]);
      expect(await snapshot()).toEqual(after);
    });

    behaviour('discover', async () => {
      // Files describe what they hold: one object makes sure there is something to describe.
      await createAll(1);
      const schema = await h.connector.discover();
      expect(['peer', 'standard', 'observed']).toContain(schema.origin);
      const type = objectTypeSchema(schema, h.objectType);
      const names = type.attributes.map((a) => a.name.toLowerCase());
      expect(new Set(names).size).toBe(names.length);
      for (const a of type.attributes) {
        expect(ATTRIBUTE_TYPES).toContain(a.type);
        expect(typeof a.multiValued).toBe('boolean');
        expect(typeof a.required).toBe('boolean');
      }
      const written = h.create(0).changes.map((c) => c.attribute.toLowerCase());
      expect(names).toEqual(expect.arrayContaining(written.filter((n) => n !== 'objectclass')));
      const { attribute, multiValued } = h.discovered;
      expect(type.attributes.find((a) => a.name.toLowerCase() === attribute.toLowerCase())).toMatchObject({ multiValued });
      const [object] = await snapshot();
      expect(type.anchor !== '').toBe(object.anchor !== '');
      if (type.anchor) expect(names).toContain(type.anchor.toLowerCase());
      if (type.key && type.key !== 'dn') expect(names).toContain(type.key.toLowerCase());
    });

    behaviour('valueModes', async () => {
      const [key] = await createAll(1);
      const { attribute: name, multiValued, values: [a, b] } = h.valueModes;
      const update = (...changes: AttributeChangeOp[]): ConnectorOperation => ({ kind: 'update', dn: key, changes });
      const add = (...values: string[]): AttributeChangeOp => ({ attribute: name, mode: 'add', values });
      const remove = (...values: string[]): AttributeChangeOp => ({ attribute: name, mode: 'remove', values });
      const succeeded = [expect.objectContaining({ status: 'succeeded' })];
      const valuesNow = async () => {
        const objects = await snapshot();
        expect(objects.map((o) => o.key)).toEqual([key]);
        return sorted(attribute(objects[0], name));
      };
      const once = async (op: ConnectorOperation, expected: string[]) => {
        expect(await h.connector.apply([op])).toEqual(succeeded);
        expect(await valuesNow()).toEqual(sorted(expected));
      };
      const twice = async (op: ConnectorOperation, expected: string[]) => {
        expect(await h.connector.apply([op])).toEqual(succeeded);
        const once = await snapshot();
        expect(sorted(attribute(once[0], name))).toEqual(sorted(expected));
        expect(await h.connector.apply([op])).toEqual(succeeded);
        expect(await snapshot()).toEqual(once);
      };
      // From no value at all, whatever the peer's defaults.
      expect(await h.connector.apply([update({ attribute: name, values: [] })])).toEqual(succeeded);
      await twice(update(add(a)), [a]);
      if (multiValued) {
        await twice(update(add(a, b)), [a, b]);
        await twice(update(remove(a)), [b]);
        // The changes of one operation in their order: reversed, these would leave `a` behind. Applied again, such an
        // operation changes the values again (a directory counts that as a change), so it is applied once.
        await once(update(add(a), remove(a)), [b]);
        await twice(update(remove(a, b)), []);
      } else {
        const [refused] = await h.connector.apply([update(add(b))]);
        expect(refused).toMatchObject({ status: 'failed', message: expect.stringContaining(name) });
        expect(await valuesNow()).toEqual([a]);
        await twice(update(remove(b)), [a]);
        // The changes of one operation in their order: reversed, the add would be refused while `a` is there.
        await once(update(remove(a), add(b)), [b]);
        await twice(update(remove(a, b)), []);
      }
    });

    behaviour('unreachable', async () => {
      const connector = h.unreachable();
      try {
        const error = await rejection(connector.testConnection());
        expect(error).toBeInstanceOf(ConnectorError);
        expect(error).toMatchObject({ code: expectations.unreachableCode ?? 'CONNECTOR.UNREACHABLE' });
      } finally {
        await connector.close();
      }
    });
  });
}

/** Every page of a snapshot, in order. */
export async function readPages(connector: Connector, objectType: string, pageSize?: number): Promise<ConnectorObject[][]> {
  const pages: ConnectorObject[][] = [];
  for await (const page of connector.readSnapshot({ objectType, ...(pageSize ? { pageSize } : {}) })) pages.push(page);
  return pages;
}

/** The values of an attribute, its name compared case-insensitively (servers spell names their own way). */
function attribute(object: ConnectorObject, name: string): string[] {
  const found = Object.keys(object.attributes).find((k) => k.toLowerCase() === name.toLowerCase());
  return found ? object.attributes[found] : [];
}

function anchorsByKey(objects: ConnectorObject[]): Record<string, string> {
  return Object.fromEntries(objects.map((o) => [o.key, o.anchor]));
}

function sorted(values: string[]): string[] {
  return [...values].sort();
}

async function rejection(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection, but it resolved');
}
