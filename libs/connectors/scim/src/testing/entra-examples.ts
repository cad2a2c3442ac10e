/**
 * Payloads as Microsoft publishes them, kept verbatim so the lenient parsers are tested against
 * what Entra really sends:
 * - "Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID"
 *   (learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups)
 * - "Known issues and resolutions with SCIM 2.0 protocol compliance of the Microsoft Entra user
 *   provisioning service" (.../application-provisioning-config-problem-scim-compatibility)
 */

/** Tutorial, "Create User", request (POST /Users). */
export const CREATE_USER_REQUEST = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
  active: true,
  emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  roles: [],
};

/** Tutorial, "Create User", response (HTTP/1.1 201 Created). */
export const CREATE_USER_RESPONSE = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: '48af03ac28ad4fb88478',
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  meta: { resourceType: 'User', created: '2018-03-27T19:59:26.000Z', lastModified: '2018-03-27T19:59:26.000Z' },
  userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  active: true,
  emails: [{ value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com', type: 'work', primary: true }],
};

/** Tutorial, "Get User by query": the filter of GET /Users?filter=... */
export const GET_USER_BY_QUERY_FILTER = 'userName eq "Test_User_dfeef4c5-5681-4387-b016-bdf221e82081"';

/** Known issues, "Requests made to disable users", without the aadOptscim062020 flag: a string boolean. */
export const DISABLE_USER_LEGACY = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
};

/** Known issues, "Requests to replace multiple attributes", without the flag: one op per path, "Replace". */
export const REPLACE_MULTIPLE_LEGACY = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [
    { op: 'Replace', path: 'displayName', value: 'Pvlo' },
    { op: 'Replace', path: 'emails[type eq "work"].value', value: 'TestBcwqnm@test.microsoft.com' },
    { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
    { op: 'Replace', path: 'name.familyName', value: 'Pkqf' },
    { op: 'Replace', path: 'externalId', value: 'Eqpj' },
    { op: 'Replace', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber', value: 'Eqpj' },
  ],
};

/** Known issues, "Requests to replace multiple attributes", with the flag: a replace without a path. */
export const REPLACE_MULTIPLE_WITHOUT_PATH = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [
    { op: 'replace', path: 'emails[type eq "work"].value', value: 'TestMhvaes@test.microsoft.com' },
    {
      op: 'replace',
      value: {
        displayName: 'Bjfe',
        'name.givenName': 'Kkom',
        'name.familyName': 'Unua',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber': 'Aklq',
      },
    },
  ],
};

/** Known issues, "Requests made to remove a group member", without and with the flag. */
export const REMOVE_MEMBER_LEGACY = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'Remove', path: 'members', value: [{ value: 'u1091' }] }],
};
export const REMOVE_MEMBER = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'remove', path: 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]' }],
};
