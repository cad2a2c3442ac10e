import { parseEqFilter } from './scim-filter';
import { parsePatchRequest } from './scim-patch.parser';
import { toAttributes } from './scim-resource.mapper';
import { ATTRIBUTE } from './scim-schemas';
import * as entra from './testing/entra-examples';

describe("Microsoft Entra's published payloads through the lenient parsers", () => {
  it('reads the tutorial create-user request and response', () => {
    const expected = {
      userName: ['Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1'],
      externalId: ['0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef'],
      active: ['true'],
      [ATTRIBUTE.givenName]: ['givenName'],
      [ATTRIBUTE.familyName]: ['familyName'],
      [ATTRIBUTE.workEmail]: ['Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com'],
    };
    expect(toAttributes(entra.CREATE_USER_REQUEST, 'user')).toEqual(expected);
    expect(toAttributes(entra.CREATE_USER_RESPONSE, 'user')).toEqual(expected);
  });

  it('reads the "Get User by query" filter', () => {
    expect(parseEqFilter(entra.GET_USER_BY_QUERY_FILTER)).toEqual({ attribute: 'userName', value: 'Test_User_dfeef4c5-5681-4387-b016-bdf221e82081' });
  });

  it('reads the disable request with "Replace" and the string "False"', () => {
    expect(parsePatchRequest(entra.DISABLE_USER_LEGACY, 'user')).toEqual([{ op: 'replace', attribute: 'active', values: ['false'] }]);
  });

  it('reads the legacy multi-attribute replace, value-filter and enterprise paths included', () => {
    expect(parsePatchRequest(entra.REPLACE_MULTIPLE_LEGACY, 'user')).toEqual([
      { op: 'replace', attribute: 'displayName', values: ['Pvlo'] },
      { op: 'replace', attribute: ATTRIBUTE.workEmail, values: ['TestBcwqnm@test.microsoft.com'] },
      { op: 'replace', attribute: ATTRIBUTE.givenName, values: ['Gtfd'] },
      { op: 'replace', attribute: ATTRIBUTE.familyName, values: ['Pkqf'] },
      { op: 'replace', attribute: 'externalId', values: ['Eqpj'] },
      { op: 'replace', attribute: ATTRIBUTE.employeeNumber, values: ['Eqpj'] },
    ]);
  });

  it('reads a replace without a path whose value holds dotted and URN keys', () => {
    expect(parsePatchRequest(entra.REPLACE_MULTIPLE_WITHOUT_PATH, 'user')).toEqual([
      { op: 'replace', attribute: ATTRIBUTE.workEmail, values: ['TestMhvaes@test.microsoft.com'] },
      { op: 'replace', attribute: 'displayName', values: ['Bjfe'] },
      { op: 'replace', attribute: ATTRIBUTE.givenName, values: ['Kkom'] },
      { op: 'replace', attribute: ATTRIBUTE.familyName, values: ['Unua'] },
      { op: 'replace', attribute: ATTRIBUTE.employeeNumber, values: ['Aklq'] },
    ]);
  });

  it('reads both forms of removing a group member', () => {
    expect(parsePatchRequest(entra.REMOVE_MEMBER_LEGACY, 'group')).toEqual([{ op: 'remove', attribute: 'members', values: ['u1091'] }]);
    expect(parsePatchRequest(entra.REMOVE_MEMBER, 'group')).toEqual([{ op: 'remove', attribute: 'members', values: ['7f4bc1a3-285e-48ae-8202-5accb43efb0e'] }]);
  });

  it('reads a pathless replace with "True" and skips attributes outside the model', () => {
    const body = { Operations: [{ op: 'Replace', value: { active: 'True', nickName: 'Babs' } }, { op: 'Add', path: 'nickName', value: 'Babs' }] };
    expect(parsePatchRequest(body, 'user')).toEqual([{ op: 'replace', attribute: 'active', values: ['true'] }]);
  });
});
