import { createChanges, patchRequest, toPatchOperations, toPatchOperationsFrom, toResource, withoutValueFilterReplace } from './scim-request.builder';
import { toAttributes } from './scim-resource.mapper';
import { ATTRIBUTE, SCHEMA } from './scim-schemas';

const change = (attribute: string, ...values: string[]) => ({ attribute, values });

describe('toResource (strict)', () => {
  it('builds a core user with the schemas it uses', () => {
    expect(toResource('user', [change('userName', 'ada'), change('active', 'TRUE'), change(ATTRIBUTE.givenName, 'Ada'), change(ATTRIBUTE.workEmail, 'ada@x.org'), change('title')])).toEqual({
      schemas: [SCHEMA.user],
      userName: 'ada',
      active: true,
      name: { givenName: 'Ada' },
      emails: [{ type: 'work', value: 'ada@x.org', primary: true }],
    });
  });

  it('adds the enterprise extension and its schema only when an enterprise attribute is set', () => {
    const resource = toResource('user', [change('username', 'ada'), change(ATTRIBUTE.department, 'R&D'), change(ATTRIBUTE.manager, 'boss'), change(ATTRIBUTE.workPhone, '1')]);
    expect(resource).toEqual({
      schemas: [SCHEMA.user, SCHEMA.enterpriseUser],
      userName: 'ada',
      phoneNumbers: [{ type: 'work', value: '1' }],
      [SCHEMA.enterpriseUser]: { department: 'R&D', manager: { value: 'boss' } },
    });
    expect(toAttributes(resource, 'user')).toEqual({ userName: ['ada'], [ATTRIBUTE.department]: ['R&D'], [ATTRIBUTE.manager]: ['boss'], [ATTRIBUTE.workPhone]: ['1'] });
  });

  it('builds a group with members as value references', () => {
    expect(toResource('group', [change('displayName', 'Admins'), change('members', 'u1', 'u2', 'u1')])).toEqual({
      schemas: [SCHEMA.group],
      displayName: 'Admins',
      members: [{ value: 'u1' }, { value: 'u2' }],
    });
  });

  it('refuses unknown attributes, several values for a single-valued one, and a non-boolean active', () => {
    expect(() => toResource('user', [change('nickName', 'x')])).toThrow(expect.objectContaining({ code: 'SCIM.UNKNOWN_ATTRIBUTE' }));
    expect(() => toResource('group', [change('userName', 'x')])).toThrow(expect.objectContaining({ code: 'SCIM.UNKNOWN_ATTRIBUTE' }));
    expect(() => toResource('user', [change('title', 'a', 'b')])).toThrow(expect.objectContaining({ code: 'SCIM.INVALID_VALUE' }));
    expect(() => toResource('user', [change('active', 'yes')])).toThrow(expect.objectContaining({ code: 'SCIM.INVALID_VALUE' }));
  });
});

describe('toPatchOperations (strict)', () => {
  it('replaces with value-filter and URN paths, and removes typed entries whole', () => {
    const operations = toPatchOperations('user', [
      change('Title', 'Boss'),
      change(ATTRIBUTE.workEmail, 'a@x.org'),
      change(ATTRIBUTE.workPhone),
      change(ATTRIBUTE.familyName),
      change('active', 'false'),
      change(ATTRIBUTE.manager, 'm1'),
      change(ATTRIBUTE.employeeNumber),
    ]);
    expect(patchRequest(operations)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'replace', path: 'title', value: 'Boss' },
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'a@x.org' },
        { op: 'remove', path: 'phoneNumbers[type eq "work"]' },
        { op: 'remove', path: 'name.familyName' },
        { op: 'replace', path: 'active', value: false },
        { op: 'replace', path: `${SCHEMA.enterpriseUser}:manager`, value: { value: 'm1' } },
        { op: 'remove', path: `${SCHEMA.enterpriseUser}:employeeNumber` },
      ],
    });
  });

  it('replaces group members as a whole', () => {
    expect(toPatchOperations('group', [change('members', 'u1', 'u2')])).toEqual([{ op: 'replace', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] }]);
    expect(toPatchOperations('group', [change('members')])).toEqual([{ op: 'remove', path: 'members' }]);
  });

  it('turns a value-filter replace into remove + add for servers that answer noTarget', () => {
    const operations = toPatchOperations('user', [change('title', 'x'), change(ATTRIBUTE.workEmail, 'a@x.org')]);
    expect(withoutValueFilterReplace(operations)).toEqual([
      { op: 'replace', path: 'title', value: 'x' },
      { op: 'remove', path: 'emails[type eq "work"]' },
      { op: 'add', path: 'emails', value: [{ type: 'work', value: 'a@x.org' }] },
    ]);
  });
});

describe('toPatchOperationsFrom (strict)', () => {
  const add = (attribute: string, ...values: string[]) => ({ attribute, values, mode: 'add' as const });
  const remove = (attribute: string, ...values: string[]) => ({ attribute, values, mode: 'remove' as const });

  it('adds only members not there and removes members there through a value filter, in the order of the changes', () => {
    expect(toPatchOperationsFrom('group', [add('members', 'u1', 'u2'), remove('members', 'u1', 'u3', 'say "hi"'), add('Members', 'u3')], { members: ['u1', 'say "hi"'] })).toEqual([
      { op: 'add', path: 'members', value: [{ value: 'u2' }] },
      { op: 'remove', path: 'members[value eq "u1"]' },
      { op: 'remove', path: 'members[value eq "say \\"hi\\""]' },
      { op: 'add', path: 'members', value: [{ value: 'u3' }] },
    ]);
    expect(toPatchOperationsFrom('group', [add('members', 'u1'), remove('members', 'u9')], { members: ['u1'] })).toEqual([]);
  });

  it('treats a single-valued attribute as one value: add sets an empty one, remove clears its own, another value is refused', () => {
    expect(toPatchOperationsFrom('user', [add('title', 'Boss'), add(ATTRIBUTE.workEmail, 'a@x.org')], {})).toEqual([
      { op: 'replace', path: 'title', value: 'Boss' },
      { op: 'replace', path: ATTRIBUTE.workEmail, value: 'a@x.org' },
    ]);
    expect(toPatchOperationsFrom('user', [remove(ATTRIBUTE.workEmail, 'a@x.org'), remove('title', 'Other')], { [ATTRIBUTE.workEmail]: ['a@x.org'], title: ['Boss'] })).toEqual([{ op: 'remove', path: 'emails[type eq "work"]' }]);
    expect(() => toPatchOperationsFrom('user', [add('title', 'Other')], { title: ['Boss'] })).toThrow(expect.objectContaining({ code: 'SCIM.INVALID_VALUE', message: expect.stringContaining('"title" holds "Boss"') }));
  });

  it('folds the changes of a create from nothing', () => {
    expect(createChanges([add('members', 'u1'), remove('members', 'u1', 'u2'), add('members', 'u2')])).toEqual([{ attribute: 'members', values: ['u2'] }]);
  });
});
