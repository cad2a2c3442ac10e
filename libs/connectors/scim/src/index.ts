/**
 * @idsync/connector-scim — a SCIM 2.0 service provider (RFC 7643/7644) as a source or destination
 * for users or groups, plus the attribute mapping and filter helpers it is built from.
 *
 * @example
 *   const scim = new ScimConnector({ baseUrl: 'https://app.example.org/scim/v2', token, objectType: 'user' });
 *   await scim.apply([{ kind: 'update', dn: '<scim id>', changes: [{ attribute: 'emails[type eq "work"].value', values: ['ada@example.org'] }] }]);
 */
export * from './scim.connector';
export { ATTRIBUTE, SCHEMA, type ScimObjectType } from './scim-schemas';
export { eqFilter, escapeFilterValue, parseEqFilter } from './scim-filter';
export { toAttributes } from './scim-resource.mapper';
export { patchRequest, toPatchOperations, toResource, type PatchOperation, type PatchRequest } from './scim-request.builder';
export { parsePatchRequest, type ScimChange } from './scim-patch.parser';
