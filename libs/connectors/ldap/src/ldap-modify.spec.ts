import { ResultCodeError, type Change, type Client } from 'ldapts';
import { entryAttributes, LDAP_VALUE_REFUSALS, looseValue, modifyValues, unchangedMessage } from './ldap-modify';

/** A directory of one entry that refuses as slapd does: an add of a value there, a delete of a value not there. */
function fakeDirectory(values: Record<string, string[]>) {
  const modifies: string[][] = [];
  const refuse = (code: number) => Object.assign(Object.create(ResultCodeError.prototype) as ResultCodeError, { code, message: `refused ${code}` });
  const client = {
    async modify(_dn: string, changes: Change | Change[]) {
      const list = [changes].flat();
      modifies.push(list.map((c) => `${c.operation} ${c.modification.type}=${(c.modification.values as string[]).join(',')}`));
      const next = structuredClone(values);
      for (const c of list) {
        const type = c.modification.type;
        const given = c.modification.values as string[];
        const there = next[type] ?? [];
        if (c.operation === 'add' && given.some((v) => there.includes(v))) throw refuse(20);
        if (c.operation === 'delete' && given.some((v) => !there.includes(v))) throw refuse(16);
        next[type] = c.operation === 'add' ? [...there, ...given] : c.operation === 'delete' ? there.filter((v) => !given.includes(v)) : given;
      }
      Object.assign(values, next);
    },
  } as unknown as Client;
  const options = { refusals: LDAP_VALUE_REFUSALS, readValues: async (_c: Client, _dn: string, attribute: string) => values[attribute] ?? [] };
  return { client, options, modifies, values };
}

describe('modifyValues', () => {
  it('sends every change in one modify when the server takes it', async () => {
    const d = fakeDirectory({ member: ['a'] });
    expect(await modifyValues(d.client, 'cn=g', [{ attribute: 'member', mode: 'add', values: ['b', 'b'] }, { attribute: 'cn', values: ['g'] }, { attribute: 'member', mode: 'remove', values: [] }], d.options)).toEqual([]);
    expect(d.modifies).toEqual([['add member=b', 'replace cn=g']]);
  });

  it('after a refusal, applies the changes in order with only the values that change, and counts the others', async () => {
    const d = fakeDirectory({ member: ['a', 'b'] });
    const unchanged = await modifyValues(
      d.client,
      'cn=g',
      [
        { attribute: 'member', mode: 'add', values: ['a', 'c'] },
        { attribute: 'member', mode: 'remove', values: ['b', 'x'] },
        { attribute: 'member', mode: 'add', values: ['b'] },
      ],
      d.options,
    );
    expect(d.values.member).toEqual(['a', 'c', 'b']);
    expect(unchanged).toEqual([
      { attribute: 'member', mode: 'add', count: 1, of: 2 },
      { attribute: 'member', mode: 'remove', count: 1, of: 2 },
    ]);
    expect(unchangedMessage(unchanged)).toBe('member: 1 of 2 already there; member: 1 of 2 not there');
  });

  it('goes value by value when the server compares differently, and rethrows a refusal that cannot be a duplicate', async () => {
    const d = fakeDirectory({ title: ['Boss'] });
    // The value read back is the one given: it is not sent again.
    expect(await modifyValues(d.client, 'cn=u', [{ attribute: 'title', mode: 'add', values: ['Boss'] }], d.options)).toEqual([{ attribute: 'title', mode: 'add', count: 1, of: 1 }]);
    const single = fakeDirectory({ title: ['Boss'] });
    single.client.modify = async () => {
      throw Object.assign(Object.create(ResultCodeError.prototype) as ResultCodeError, { code: 20, message: 'SINGLE-VALUE attribute title specified more than once' });
    };
    await expect(modifyValues(single.client, 'cn=u', [{ attribute: 'title', mode: 'add', values: ['Other'] }], single.options)).rejects.toMatchObject({ code: 20 });
  });
});

describe('looseValue', () => {
  it('ignores case, spaces and DN escapes', () => {
    expect(looseValue('CN=O\\27Brien\\2C Jr,OU=People')).toBe(looseValue('cn=O\'Brien\\, Jr, ou=people'));
    expect(looseValue('cn=Zo\\C3\\AB')).toBe('cn=zoë');
  });
});

describe('entryAttributes', () => {
  it('folds the changes of a create from nothing, objectClass joining the classes given', () => {
    expect(
      entryAttributes(
        [
          { attribute: 'objectClass', values: ['extensibleObject'] },
          { attribute: 'member', mode: 'add', values: ['a', 'b'] },
          { attribute: 'MEMBER', mode: 'remove', values: ['a'] },
          { attribute: 'description', values: [] },
        ],
        ['groupOfNames'],
      ),
    ).toEqual({ objectClass: ['groupOfNames', 'extensibleObject'], member: ['b'] });
  });
});
