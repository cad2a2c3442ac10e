/** Schema and message URNs (RFC 7643 §8.7, RFC 7644 §3.5.2 and §3.12) and the resource endpoints. */
export const SCHEMA = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

export type ScimObjectType = 'user' | 'group';

export const ENDPOINTS: Record<ScimObjectType, string> = { user: '/Users', group: '/Groups' };

/** The attribute a create looks an existing resource up by, so that a second create is a no-op. */
export const LOOKUP_ATTRIBUTE: Record<ScimObjectType, string> = { user: 'userName', group: 'displayName' };

const ENTERPRISE = SCHEMA.enterpriseUser;

/**
 * The connector's flat attribute names. Each is also the SCIM path the connector PATCHes, except
 * the enterprise manager, whose value is the manager's id (sent as `{ value: id }`).
 */
export const ATTRIBUTE = {
  userName: 'userName',
  externalId: 'externalId',
  displayName: 'displayName',
  active: 'active',
  givenName: 'name.givenName',
  familyName: 'name.familyName',
  workEmail: 'emails[type eq "work"].value',
  workPhone: 'phoneNumbers[type eq "work"].value',
  title: 'title',
  employeeNumber: `${ENTERPRISE}:employeeNumber`,
  department: `${ENTERPRISE}:department`,
  manager: `${ENTERPRISE}:manager`,
  members: 'members',
} as const;

export const USER_ATTRIBUTES: readonly string[] = [
  ATTRIBUTE.userName,
  ATTRIBUTE.externalId,
  ATTRIBUTE.displayName,
  ATTRIBUTE.active,
  ATTRIBUTE.givenName,
  ATTRIBUTE.familyName,
  ATTRIBUTE.workEmail,
  ATTRIBUTE.workPhone,
  ATTRIBUTE.title,
  ATTRIBUTE.employeeNumber,
  ATTRIBUTE.department,
  ATTRIBUTE.manager,
];

export const GROUP_ATTRIBUTES: readonly string[] = [ATTRIBUTE.displayName, ATTRIBUTE.externalId, ATTRIBUTE.members];

export function attributesOf(objectType: ScimObjectType): readonly string[] {
  return objectType === 'group' ? GROUP_ATTRIBUTES : USER_ATTRIBUTES;
}

/** The canonical spelling of a flat attribute name, matched case-insensitively; undefined if unknown. */
export function canonicalAttribute(objectType: ScimObjectType, name: string): string | undefined {
  const lower = name.toLowerCase();
  return attributesOf(objectType).find((a) => a.toLowerCase() === lower);
}
