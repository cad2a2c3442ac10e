import type { IdentityRecord } from '@idsync/planning';

/**
 * The benchmark population: HR rows with the demo job's columns, and the directory entries the demo
 * job makes of them (so an unchanged row plans nothing). Names carry diacritics, as real ones do.
 */
export const DEPARTMENTS = 20;

/** The uid the demo job gives the i-th row. */
const uidOf = (i: number) => `Zoë${i % 97}.Ångström${i}`.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
/** The i-th row's employee id. */
export const employeeIdOf = (i: number) => `E${String(i).padStart(7, '0')}`;

/** The DN of the entry the demo job makes of the i-th row. */
export const userDn = (i: number) => `uid=${uidOf(i)},ou=people,dc=example,dc=org`;

/** The i-th HR row; `changed`: a new title; `moved`: another department (every group changes). */
export function sourceRecord(i: number, changed = false, moved = false): IdentityRecord {
  const id = employeeIdOf(i);
  return {
    key: id,
    anchor: '',
    attributes: {
      employeeId: [id], givenName: [`Zoë${i % 97}`], surname: [`Ångström${i}`], email: [`user${i}@example.org`],
      title: [changed ? 'Architect' : 'Engineer'], department: [`D${(i + (moved ? 1 + (Math.floor(i / 7) % (DEPARTMENTS - 1)) : 0)) % DEPARTMENTS}`],
    },
  };
}

/** The directory entry the demo job (plus displayName and initials) makes of the i-th row. */
export function destinationRecord(i: number): IdentityRecord {
  const g = `Zoë${i % 97}`;
  const s = `Ångström${i}`;
  return {
    key: `uid=${uidOf(i)},ou=people,dc=example,dc=org`,
    anchor: `anchor-${i}`,
    attributes: {
      uid: [uidOf(i)], cn: [`${g} ${s}`], givenName: [g], sn: [s], mail: [`user${i}@example.org`],
      title: ['Engineer'], departmentNumber: [`D${i % DEPARTMENTS}`], employeeNumber: [employeeIdOf(i)], displayName: [`${g} ${s}`], initials: ['Z'],
    },
  };
}
