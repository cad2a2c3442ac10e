import type { ConnectorOperation } from '@idsync/connector-core';
import { Client, type ClientOptions } from 'ldapts';

/** The i-th test person for a directory that takes inetOrgPerson entries. */
export function inetOrgPersonCreate(dn: string, i: number): ConnectorOperation {
  return {
    kind: 'create',
    dn,
    objectClasses: ['inetOrgPerson'],
    changes: [
      { attribute: 'cn', values: [`Person ${i}`] },
      { attribute: 'sn', values: [`Surname ${i}`] },
      { attribute: 'uid', values: [`person${i}`] },
      { attribute: 'mail', values: [`person${i}@example.org`] },
    ],
  };
}

/** The i-th test row for a keyed table (CSV, XLSX, SQL): key `person<i>`, one mail column. */
export function mailRowCreate(i: number): ConnectorOperation {
  return { kind: 'create', dn: `person${i}`, changes: [{ attribute: 'mail', values: [`person${i}@example.org`] }] };
}

/** The update every mail-carrying harness applies. */
export function mailUpdate(key: string, i: number): ConnectorOperation {
  return { kind: 'update', dn: key, changes: [{ attribute: 'mail', values: [`person${i}.updated@example.org`] }] };
}

/**
 * The harness fields every keyed table (CSV, XLSX, SQL) shares: rows keyed `person<i>` with one single-valued
 * mail column.
 */
export const mailRows = {
  objectType: 'user',
  create: mailRowCreate,
  keyOf: (i: number) => `person${i}`,
  update: mailUpdate,
  discovered: { attribute: 'mail', multiValued: false },
  valueModes: { attribute: 'mail', multiValued: false, values: ['first@example.org', 'second@example.org'] as [string, string] },
};

/** Adds an organizational unit as the directory's administrator: one per behaviour keeps them apart. */
export async function addOu(client: ClientOptions, bind: { dn: string; password: string }, dn: string, ou: string): Promise<string> {
  const admin = new Client(client);
  try {
    await admin.bind(bind.dn, bind.password);
    await admin.add(dn, { objectClass: ['organizationalUnit'], ou: [ou] });
  } finally {
    await admin.unbind();
  }
  return dn;
}
