import { incrementalScenario } from './support/incremental';
import { ldapSourceScenario } from './support/ldap-source';
import { membershipScenario } from './support/memberships';
import { sliceScenario } from './support/scenario';
import { startSystem, type RunningSystem } from './support/system';

jest.setTimeout(600_000);

/** The vertical slice with the seven services as seven processes on NATS JetStream and Postgres. */
describe('distributed mode: seven processes', () => {
  let s: RunningSystem;

  beforeAll(async () => {
    s = await startSystem('e2e', { GATEWAY_TOKENS: 'alice:operator+viewer:alice-token-1,bob:approver+viewer:bob-token-22' });
  });
  afterAll(() => s?.stop());

  it('drives the whole slice through the REST API, checked by searching the directory', async () => {
    await sliceScenario({ operator: s.api('alice-token-1'), approver: s.api('bob-token-22'), dir: s.dir, ldap: s.ldap, smtp: s.smtp });
  });

  it('incremental runs read only what changed, never delete by absence, keep the watermark until nothing failed; a changed name is a rename', async () => {
    await incrementalScenario(s.api('alice-token-1'), s.ldap);
  });

  it('an incremental run deletes the people an LDAP source reports deleted, within the guards', async () => {
    await ldapSourceScenario(s.api('alice-token-1'), s.ldap);
  });

  it('group memberships follow the department: groups created when missing, movers and leavers, members it does not manage kept', async () => {
    await membershipScenario(s.api('alice-token-1'), s.ldap, s.dir);
  });
});
