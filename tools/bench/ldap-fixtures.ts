/**
 * What the LDAP benchmarks share: generated inetOrgPerson entries (as connector operations and as LDIF),
 * ldapadd, a paged count and the number parsing of their environment variables. Not a benchmark itself
 * (tools/bench.ts runs *.bench.ts only).
 */
import type { ConnectorOperation } from '@idsync/connector-core';
import type { SlapdHandle } from '@idsync/testing';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Client } from 'ldapts';

const DEPARTMENTS = ['Sales', 'Engineering', 'Finance', 'Legal', 'Support'];

/** A positive integer from the environment ("100000", "100_000" and "100,000" all work), or the default. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

/** The attributes of user i, in a fixed order: the same for apply() and for the LDIF. */
export function userAttributes(i: number): [string, string][] {
  const uid = `user${String(i).padStart(7, '0')}`;
  return [
    ['uid', uid],
    ['cn', `Given${i} Surname${i}`],
    ['sn', `Surname${i}`],
    ['givenName', `Given${i}`],
    ['mail', `${uid}@example.org`],
    ['employeeNumber', String(100_000 + i)],
    ['departmentNumber', DEPARTMENTS[i % DEPARTMENTS.length]],
    ['title', `Engineer, level ${i % 7}`],
    ['telephoneNumber', `+44 20 7946 ${String(i % 10_000).padStart(4, '0')}`],
  ];
}

export function userDn(i: number, peopleDn: string): string {
  return `uid=user${String(i).padStart(7, '0')},${peopleDn}`;
}

export function createOperation(i: number, peopleDn: string): ConnectorOperation {
  return { kind: 'create', dn: userDn(i, peopleDn), objectClasses: ['inetOrgPerson'], changes: userAttributes(i).map(([attribute, value]) => ({ attribute, values: [value] })) };
}

/** Writes users [from, to) as LDIF (every value is plain ASCII without a leading space or colon: no base64 needed). */
export async function writeLdif(path: string, from: number, to: number, peopleDn: string): Promise<void> {
  const out = createWriteStream(path);
  for (let i = from; i < to; i++) {
    const lines = [`dn: ${userDn(i, peopleDn)}`, 'objectClass: inetOrgPerson', ...userAttributes(i).map(([a, v]) => `${a}: ${v}`), '', ''];
    if (!out.write(lines.join('\n'))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** `ldapadd -x -H <url> -D <bindDn> -w <password> -f <file>`; its per-entry chatter is discarded, its errors are thrown. */
export async function ldapadd(slapd: SlapdHandle, file: string): Promise<void> {
  const child = spawn('ldapadd', ['-x', '-H', slapd.url, '-D', slapd.bindDn, '-w', slapd.password, '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) throw new Error(`ldapadd -f ${file} exited with ${code ?? signal}: ${stderr.trim()}`);
}

/** Counts the inetOrgPerson entries below `base` with a paged search that asks for no attributes. */
export async function countEntries(slapd: SlapdHandle, base: string): Promise<number> {
  const client = new Client({ url: slapd.url, timeout: 120_000, connectTimeout: 5_000 });
  try {
    await client.bind(slapd.bindDn, slapd.password);
    let n = 0;
    for await (const page of client.searchPaginated(base, { scope: 'one', filter: '(objectClass=inetOrgPerson)', attributes: ['1.1'], paged: { pageSize: 1000 } })) {
      n += page.searchEntries.length;
    }
    return n;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

export function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
