import { objectTypeSchema, type AttributeSchema } from '@idsync/connector-core';
import { ATTRIBUTE, SCHEMA } from './scim-schemas';
import { ScimConnector } from './scim.connector';
import { startScimTestServer, type ScimTestServer } from './testing/scim-test.server';

const byName = (attributes: AttributeSchema[]) => Object.fromEntries(attributes.map((a) => [a.name, a]));

describe('ScimConnector.discover against an in-process SCIM server', () => {
  let server: ScimTestServer | undefined;
  afterEach(() => server?.close());

  it('reads /Schemas and /ResourceTypes: userName required, id read-only, the enterprise extension, group members', async () => {
    server = await startScimTestServer('s3cret');
    const scim = new ScimConnector({ baseUrl: server.url, token: server.token, retryDelayMs: 10 });
    const schema = await scim.discover();
    expect(schema.origin).toBe('peer');
    expect(server.requests).toEqual(['GET /scim/v2/Schemas', 'GET /scim/v2/ResourceTypes']);

    const user = objectTypeSchema(schema, 'user');
    expect(user).toMatchObject({ anchor: 'id', key: 'id', nativeNames: [SCHEMA.user, SCHEMA.enterpriseUser] });
    const u = byName(user.attributes);
    expect(u.userName).toEqual({ name: 'userName', type: 'string', multiValued: false, required: true });
    expect(u.id).toEqual({ name: 'id', type: 'string', multiValued: false, required: false, readOnly: true });
    expect(u.active.type).toBe('boolean');
    expect(u[ATTRIBUTE.givenName]).toEqual({ name: ATTRIBUTE.givenName, type: 'string', multiValued: false, required: false });
    // One entry of the multi-valued emails: a single value to the connector.
    expect(u[ATTRIBUTE.workEmail]).toMatchObject({ type: 'string', multiValued: false });
    expect(u[ATTRIBUTE.department]).toMatchObject({ type: 'string', multiValued: false });
    expect(u[ATTRIBUTE.manager]).toMatchObject({ multiValued: false });

    const group = objectTypeSchema(schema, 'group');
    const g = byName(group.attributes);
    expect(g.displayName.required).toBe(true);
    expect(g.members).toMatchObject({ multiValued: true, required: false });
    expect(Object.keys(g).sort()).toEqual(['displayName', 'externalId', 'id', 'members']);
  });

  it("falls back to RFC 7643's core schemas when the server has no /Schemas, and says so", async () => {
    server = await startScimTestServer('s3cret', { schemaEndpoints: false });
    const scim = new ScimConnector({ baseUrl: server.url, token: server.token, retryDelayMs: 10 });
    const schema = await scim.discover();
    expect(schema.origin).toBe('standard');
    const u = byName(objectTypeSchema(schema, 'user').attributes);
    expect(u.userName).toMatchObject({ required: true });
    expect(u[ATTRIBUTE.employeeNumber]).toBeDefined();
    expect(byName(objectTypeSchema(schema, 'group').attributes).members.multiValued).toBe(true);
  });

  it('rejects a wrong token with CONNECTOR.AUTH_FAILED', async () => {
    server = await startScimTestServer('s3cret');
    const scim = new ScimConnector({ baseUrl: server.url, token: 'wrong', retryDelayMs: 10 });
    await expect(scim.discover()).rejects.toMatchObject({ code: 'CONNECTOR.AUTH_FAILED' });
  });
});
