import { readFileSync } from 'node:fs';
import { ActiveDirectoryConnector, childDn, type ActiveDirectoryConnectorOptions } from '@idsync/connector-ad';
import { freePort, startSambaDc, uniqueName, type SambaHandle } from '@idsync/testing';
import { describeConformance } from './conformance.suite';
import { addOu } from './fixtures';

let dc: SambaHandle;
let tlsOptions: { ca: Buffer; servername: string };
beforeAll(async () => {
  dc = await startSambaDc();
  tlsOptions = { ca: readFileSync(dc.caFile), servername: dc.tlsServerName };
}, 120_000);
afterAll(() => dc?.stop());

/** A fresh OU per behaviour: one DC for the file (provisioning takes seconds), each behaviour in its own OU. */
function freshOu(): Promise<string> {
  const name = uniqueName('conformance');
  return addOu({ url: dc.url, tlsOptions, timeout: 30_000 }, { dn: dc.bindDn, password: dc.password }, childDn('OU', name, dc.baseDn), name);
}

// sAMAccountName is unique in the whole domain, not per OU, and at most 20 characters.
let harnesses = 0;

describeConformance('ad (Samba AD DC)', async () => {
  const ou = await freshOu();
  const run = ++harnesses;
  const options: ActiveDirectoryConnectorOptions = { url: dc.url, bindDn: dc.bindDn, password: dc.password, baseDn: dc.baseDn, searchBase: ou, tlsOptions };
  const connector = new ActiveDirectoryConnector(options);
  const dnOf = (i: number) => childDn('CN', `person${i}`, ou);
  const closedPort = await freePort();
  return {
    connector,
    objectType: 'user',
    create: (i) => ({
      kind: 'create',
      dn: dnOf(i),
      objectClasses: ['user'],
      changes: [
        { attribute: 'sAMAccountName', values: [`c${run}p${i}`] },
        { attribute: 'title', values: [`Title ${i}`] },
      ],
    }),
    keyOf: (i) => dnOf(i),
    renamedKeyOf: (i) => childDn('CN', `renamed${i}`, ou),
    update: (dn, i) => ({ kind: 'update', dn, changes: [{ attribute: 'title', values: [`Updated title ${i}`] }] }),
    discovered: { attribute: 'title', multiValued: false },
    valueModes: { attribute: 'otherTelephone', multiValued: true, values: ['+1 555 0101', '+1 555 0102'] },
    unreachable: () => new ActiveDirectoryConnector({ ...options, url: `ldaps://127.0.0.1:${closedPort}`, timeoutMs: 5_000 }),
    cleanup: () => connector.close(),
  };
});
