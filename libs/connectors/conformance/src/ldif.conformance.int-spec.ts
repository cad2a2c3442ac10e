import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LdifConnector } from '@idsync/connector-ldif';
import { describeConformance } from './conformance.suite';
import { inetOrgPersonCreate, mailUpdate } from './fixtures';

const BASE_DN = 'dc=example,dc=org';

describeConformance(
  'ldif (a file)',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'idsync-conformance-ldif-'));
    const connector = new LdifConnector({ path: join(dir, 'directory.ldif'), baseDn: BASE_DN });
    const dnOf = (i: number) => `uid=person${i},ou=people,${BASE_DN}`;
    return {
      connector,
      objectType: 'user',
      create: (i) => inetOrgPersonCreate(dnOf(i), i),
      keyOf: (i) => dnOf(i),
      renamedKeyOf: (i) => `uid=renamed${i},ou=staff,${BASE_DN}`,
      update: mailUpdate,
      discovered: { attribute: 'mail', multiValued: false },
      valueModes: { attribute: 'description', multiValued: true, values: ['first', 'second'] },
      unreachable: () => new LdifConnector({ path: join(dir, 'no-such-folder', 'directory.ldif'), baseDn: BASE_DN }),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
  // A missing file is an empty directory (created on the first write); a missing folder cannot be written.
  { unreachableCode: 'LDIF.FOLDER_NOT_FOUND' },
);
