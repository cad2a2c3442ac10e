import { ScimConnector } from '@idsync/connector-scim';
import { freePort } from '@idsync/testing';
// The SCIM test server is not in @idsync/connector-scim's entry point (production code must not ship it) and has no
// alias of its own, so it is reached by path. Moving it to a `testing` entry point would remove this exception.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startScimTestServer } from '../../scim/src/testing/scim-test.server';
import { describeConformance } from './conformance.suite';

describeConformance('scim (in-process SCIM server)', async () => {
  // The server is in-process and starts in milliseconds: one per behaviour keeps them apart.
  const server = await startScimTestServer('conformance-token');
  const connector = new ScimConnector({ baseUrl: server.url, token: server.token, objectType: 'user', retryDelayMs: 10 });
  const closedPort = await freePort();
  return {
    connector,
    objectType: 'user',
    create: (i) => ({
      kind: 'create',
      dn: '',
      changes: [
        { attribute: 'userName', values: [`person${i}`] },
        { attribute: 'title', values: [`Title ${i}`] },
      ],
    }),
    // The server assigns the id; the create's outcome carries it as `id=<id>` (also on "already exists").
    keyOf: (i, outcome) => {
      const id = /id=(\S+)/.exec(outcome?.message ?? '')?.[1];
      if (!id) throw new Error(`no id in the outcome of the create of person${i}: ${JSON.stringify(outcome)}`);
      return id;
    },
    update: (id, i) => ({ kind: 'update', dn: id, changes: [{ attribute: 'title', values: [`Updated title ${i}`] }] }),
    discovered: { attribute: 'title', multiValued: false },
    valueModes: { attribute: 'title', multiValued: false, values: ['First title', 'Second title'] },
    unreachable: () => new ScimConnector({ baseUrl: `http://127.0.0.1:${closedPort}/scim/v2`, token: 'x', objectType: 'user', timeoutMs: 5_000, maxRetries: 0 }),
    cleanup: async () => {
      await connector.close();
      await server.close();
    },
  };
});
