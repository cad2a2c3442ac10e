import { toAttributes } from './scim-resource.mapper';
import { ATTRIBUTE, SCHEMA } from './scim-schemas';

describe('toAttributes (lenient)', () => {
  it('flattens every mapped user attribute', () => {
    const resource = {
      schemas: [SCHEMA.user, SCHEMA.enterpriseUser],
      id: 'x',
      userName: 'ada',
      externalId: 'e1',
      displayName: 'Ada',
      active: false,
      title: 'Engineer',
      name: { givenName: 'Ada', familyName: 'Lovelace', formatted: 'Ada Lovelace' },
      emails: [
        { type: 'home', value: 'ada@home.org', primary: true },
        { type: 'work', value: 'ada@work.org' },
      ],
      phoneNumbers: [{ type: 'work', value: '+1 555' }],
      [SCHEMA.enterpriseUser]: { employeeNumber: 42, department: 'R&D', manager: { value: 'boss', displayName: 'Boss' } },
      roles: [],
    };
    expect(toAttributes(resource, 'user')).toEqual({
      userName: ['ada'],
      externalId: ['e1'],
      displayName: ['Ada'],
      active: ['false'],
      title: ['Engineer'],
      [ATTRIBUTE.givenName]: ['Ada'],
      [ATTRIBUTE.familyName]: ['Lovelace'],
      [ATTRIBUTE.workEmail]: ['ada@work.org'],
      [ATTRIBUTE.workPhone]: ['+1 555'],
      [ATTRIBUTE.employeeNumber]: ['42'],
      [ATTRIBUTE.department]: ['R&D'],
      [ATTRIBUTE.manager]: ['boss'],
    });
  });

  it('accepts names in any case, "True" strings, single values for arrays and no schemas', () => {
    const resource = {
      USERNAME: 'ada',
      Active: 'True',
      Name: { GivenName: 'Ada' },
      Emails: { Type: 'Work', Value: 'ada@work.org' },
      'URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER': { Manager: 'boss' },
    };
    expect(toAttributes(resource, 'user')).toEqual({
      userName: ['ada'],
      active: ['true'],
      [ATTRIBUTE.givenName]: ['Ada'],
      [ATTRIBUTE.workEmail]: ['ada@work.org'],
      [ATTRIBUTE.manager]: ['boss'],
    });
  });

  it('prefers the primary work entry, and takes a lone untyped entry as the work one', () => {
    expect(toAttributes({ emails: [{ type: 'work', value: 'a' }, { type: 'work', value: 'b', primary: 'true' }] }, 'user')).toEqual({ [ATTRIBUTE.workEmail]: ['b'] });
    expect(toAttributes({ emails: [{ value: 'only' }] }, 'user')).toEqual({ [ATTRIBUTE.workEmail]: ['only'] });
    expect(toAttributes({ emails: [{ value: 'a' }, { value: 'b' }] }, 'user')).toEqual({});
    expect(toAttributes({ emails: [{ type: 'home', value: 'h' }] }, 'user')).toEqual({});
  });

  it('leaves out nulls, empty strings, objects where a scalar belongs and unknown attributes', () => {
    expect(toAttributes({ userName: 'a', displayName: '', title: null, externalId: { x: 1 }, active: 'yes', nickName: 'n' }, 'user')).toEqual({ userName: ['a'] });
  });

  it('flattens a group with members as ids, single member or array', () => {
    const group = { schemas: [SCHEMA.group], id: 'g', displayName: 'Admins', members: [{ value: 'u1', display: 'U1' }, { value: 'u2' }, { value: 'u1' }] };
    expect(toAttributes(group, 'group')).toEqual({ displayName: ['Admins'], members: ['u1', 'u2'] });
    expect(toAttributes({ displayName: 'G', Members: { value: 'u1' } }, 'group')).toEqual({ displayName: ['G'], members: ['u1'] });
    expect(toAttributes({ displayName: 'G', members: [] }, 'group')).toEqual({ displayName: ['G'] });
  });

  it('returns nothing for a non-object', () => {
    expect(toAttributes('nope', 'user')).toEqual({});
    expect(toAttributes(null, 'group')).toEqual({});
  });
});
