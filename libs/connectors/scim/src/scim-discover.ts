import { ConnectorError, type AttributeSchema, type AttributeType, type ConnectorSchema, type ObjectTypeSchema } from '@idsync/connector-core';
import { describeError, type ScimHttpClient } from './scim-http.client';
import { ATTRIBUTE, attributesOf, ENDPOINTS, SCHEMA, type ScimObjectType } from './scim-schemas';
import { asArray, isObject, parseBoolean, pick, text, type Json } from './scim-values';

/** An attribute definition of a SCIM schema (RFC 7643 §7), as far as discovery reads it. */
export interface ScimAttributeDefinition {
  name: string;
  type: string;
  multiValued: boolean;
  required: boolean;
  mutability: string;
  subAttributes: ScimAttributeDefinition[];
}

/** A schema (RFC 7643 §7): its URN and attributes. */
export interface ScimSchemaDefinition {
  id: string;
  attributes: ScimAttributeDefinition[];
}

/** A resource type (RFC 7643 §6): the endpoint, its core schema and its extensions. */
export interface ScimResourceType {
  endpoint: string;
  schema: string;
  extensions: string[];
}

const TYPES: Record<string, AttributeType> = { string: 'string', boolean: 'boolean', decimal: 'decimal', integer: 'integer', datetime: 'datetime', binary: 'binary', reference: 'string', complex: 'string' };

/** Reads one attribute definition leniently: names in any case, missing flags as RFC 7643 §2.2's defaults. */
function toDefinition(v: Json): ScimAttributeDefinition | undefined {
  const name = text(pick(v, 'name'));
  if (!name) return undefined;
  return {
    name,
    type: (text(pick(v, 'type')) ?? 'string').toLowerCase(),
    multiValued: parseBoolean(pick(v, 'multiValued')) ?? false,
    required: parseBoolean(pick(v, 'required')) ?? false,
    mutability: text(pick(v, 'mutability')) ?? 'readWrite',
    subAttributes: asArray(pick(v, 'subAttributes')).flatMap((s) => toDefinition(s) ?? []),
  };
}

/** The schemas of a GET /Schemas answer (a ListResponse, or a bare array as some servers send). */
export function parseSchemas(body: unknown): ScimSchemaDefinition[] {
  const resources = Array.isArray(body) ? (body as Json[]) : asArray(pick(body, 'Resources'));
  return resources.flatMap((r) => {
    const id = text(pick(r, 'id'));
    return id ? [{ id, attributes: asArray(pick(r, 'attributes')).flatMap((a) => toDefinition(a) ?? []) }] : [];
  });
}

/** The resource types of a GET /ResourceTypes answer. */
export function parseResourceTypes(body: unknown): ScimResourceType[] {
  const resources = Array.isArray(body) ? (body as Json[]) : asArray(pick(body, 'Resources'));
  return resources.flatMap((r) => {
    const endpoint = text(pick(r, 'endpoint'));
    const schema = text(pick(r, 'schema'));
    if (!endpoint || !schema) return [];
    const extensions = asArray(pick(r, 'schemaExtensions')).flatMap((e) => (isObject(e) ? (text(pick(e, 'schema')) ?? []) : []));
    return [{ endpoint, schema, extensions }];
  });
}

const attr = (name: string, type: string, more: Partial<ScimAttributeDefinition> = {}): ScimAttributeDefinition => ({
  name,
  type,
  multiValued: false,
  required: false,
  mutability: 'readWrite',
  subAttributes: [],
  ...more,
});
const typedValues = (name: string) => attr(name, 'complex', { multiValued: true, subAttributes: [attr('value', 'string'), attr('type', 'string'), attr('primary', 'boolean')] });

/**
 * The parts of RFC 7643's schemas (§4.1, §4.2, §4.3, as repeated in §8.7.1) that the connector's attributes map to:
 * what discovery assumes of a server that publishes no /Schemas.
 */
export const RFC7643_SCHEMAS: ScimSchemaDefinition[] = [
  {
    id: SCHEMA.user,
    attributes: [
      attr('userName', 'string', { required: true }),
      attr('name', 'complex', { subAttributes: [attr('formatted', 'string'), attr('familyName', 'string'), attr('givenName', 'string')] }),
      attr('displayName', 'string'),
      attr('title', 'string'),
      attr('active', 'boolean'),
      typedValues('emails'),
      typedValues('phoneNumbers'),
    ],
  },
  {
    id: SCHEMA.group,
    attributes: [
      attr('displayName', 'string', { required: true }),
      attr('members', 'complex', { multiValued: true, subAttributes: [attr('value', 'string', { mutability: 'immutable' }), attr('$ref', 'reference', { mutability: 'immutable' }), attr('type', 'string', { mutability: 'immutable' })] }),
    ],
  },
  {
    id: SCHEMA.enterpriseUser,
    attributes: [
      attr('employeeNumber', 'string'),
      attr('department', 'string'),
      attr('manager', 'complex', { subAttributes: [attr('value', 'string'), attr('$ref', 'reference'), attr('displayName', 'string', { mutability: 'readOnly' })] }),
    ],
  },
];

/** The resource types RFC 7643 §8.6 shows, for a server without /ResourceTypes. */
export const RFC7643_RESOURCE_TYPES: ScimResourceType[] = [
  { endpoint: ENDPOINTS.user, schema: SCHEMA.user, extensions: [SCHEMA.enterpriseUser] },
  { endpoint: ENDPOINTS.group, schema: SCHEMA.group, extensions: [] },
];

/** Common attributes (RFC 7643 §3.1) are in no schema: every resource has them. */
const COMMON: Record<string, AttributeSchema> = {
  id: { name: 'id', type: 'string', multiValued: false, required: false, readOnly: true },
  externalId: { name: ATTRIBUTE.externalId, type: 'string', multiValued: false, required: false },
};

const find = (list: ScimAttributeDefinition[], name: string) => list.find((a) => a.name.toLowerCase() === name.toLowerCase());

/**
 * Where a flat attribute of the connector lives in the schemas, and how many values the flat attribute holds: the
 * work email is one value of the multi-valued `emails`, so it is single-valued here, while `members` keeps its list.
 */
function locate(flat: string, schemas: Map<string, ScimSchemaDefinition>, core: string): { definition: ScimAttributeDefinition; parent?: ScimAttributeDefinition } | undefined {
  const urn = flat.startsWith(`${SCHEMA.enterpriseUser}:`) ? SCHEMA.enterpriseUser : core;
  const path = urn === core ? flat : flat.slice(urn.length + 1);
  const attributes = schemas.get(urn.toLowerCase())?.attributes ?? [];
  const filtered = /^(\w+)\[.*\]\.(\w+)$/.exec(path);
  const [top, sub] = filtered ? [filtered[1], filtered[2]] : path.split('.');
  const parent = find(attributes, top);
  if (!parent) return undefined;
  if (sub) {
    const definition = find(parent.subAttributes, sub);
    return definition && { definition, parent };
  }
  // A complex reference (manager, members) is written and read by its value.
  const value = parent.type === 'complex' ? find(parent.subAttributes, 'value') : undefined;
  return value ? { definition: value, parent } : { definition: parent };
}

/**
 * The object type `objectType` as the server describes it: the connector's flat attributes that its schemas define
 * (an enterprise attribute only when the resource type carries the extension), typed by SCIM type, required and
 * read-only by `required` and `mutability`, keyed and anchored by the SCIM `id`.
 */
export function scimObjectType(objectType: ScimObjectType, schemaList: ScimSchemaDefinition[], resourceTypes: ScimResourceType[]): ObjectTypeSchema {
  const resourceType =
    resourceTypes.find((r) => r.endpoint.replace(/\/+$/, '').toLowerCase() === ENDPOINTS[objectType].toLowerCase()) ??
    RFC7643_RESOURCE_TYPES.find((r) => r.endpoint === ENDPOINTS[objectType])!;
  const urns = [resourceType.schema, ...resourceType.extensions];
  const schemas = new Map(schemaList.filter((s) => urns.some((u) => u.toLowerCase() === s.id.toLowerCase())).map((s) => [s.id.toLowerCase(), s]));
  const attributes: AttributeSchema[] = [COMMON.id];
  for (const flat of attributesOf(objectType)) {
    if (COMMON[flat]) {
      attributes.push(COMMON[flat]);
      continue;
    }
    const found = locate(flat, schemas, resourceType.schema);
    if (!found) continue;
    const { definition, parent } = found;
    const attribute: AttributeSchema = {
      name: flat,
      type: TYPES[definition.type] ?? 'string',
      // A filtered path picks one entry of a multi-valued attribute; a sub-attribute of a list without filter is the list.
      multiValued: /\[/.test(flat) ? false : definition.multiValued || (!!parent?.multiValued && parent.type === 'complex'),
      // A sub-attribute is required only of resources that carry its parent, and one entry of a list never is.
      required: definition.required && (!parent || parent.required) && !/\[/.test(flat),
    };
    if ([definition.mutability, parent?.mutability].some((m) => m?.toLowerCase() === 'readonly')) attribute.readOnly = true;
    attributes.push(attribute);
  }
  return { name: objectType, nativeNames: urns, anchor: 'id', key: 'id', attributes };
}

/** The schema of users and groups from the server's answers, `origin` saying whether they were the server's own. */
export function scimSchema(schemas: ScimSchemaDefinition[] | undefined, resourceTypes: ScimResourceType[] | undefined): ConnectorSchema {
  const known = schemas?.length ? schemas : RFC7643_SCHEMAS;
  const types = resourceTypes?.length ? resourceTypes : RFC7643_RESOURCE_TYPES;
  return { origin: schemas?.length ? 'peer' : 'standard', objectTypes: (['user', 'group'] as const).map((t) => scimObjectType(t, known, types)) };
}

/** Statuses by which a server says it has no such endpoint (RFC 7644 §3.12 lets it answer 501 for a feature it lacks). */
const ABSENT = new Set([400, 404, 405, 501]);

/**
 * GET /Schemas and GET /ResourceTypes (RFC 7644 §4), described by scimSchema. A server that has neither endpoint is
 * described by RFC 7643's core and enterprise schemas (origin 'standard'), since the connector writes those attributes
 * anyway; any other failure is SCIM.READ_FAILED (CONNECTOR.AUTH_FAILED and CONNECTOR.UNREACHABLE as for every request).
 */
export async function discoverScim(http: ScimHttpClient): Promise<ConnectorSchema> {
  const get = async <T>(path: string, parse: (body: unknown) => T[]): Promise<T[] | undefined> => {
    const response = await http.request('GET', path);
    if (response.status === 200) return parse(response.body);
    if (ABSENT.has(response.status)) return undefined;
    throw new ConnectorError('SCIM.READ_FAILED', `GET ${path} failed: ${describeError(response)}`, { path, status: String(response.status) }, response.status === 429 || response.status >= 500);
  };
  return scimSchema(await get('/Schemas', parseSchemas), await get('/ResourceTypes', parseResourceTypes));
}
