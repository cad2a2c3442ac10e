import { ApiError, type GatewayClient, type RunJson } from '@idsync/client';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sampleJob } from '../../services/embedded/src/demo/sample';

export interface Employee {
  employeeId: string;
  givenName: string;
  surname: string;
  email: string;
  department: string;
  title: string;
  managerId: string;
  status: string;
}

const HEADER = 'employeeId,givenName,surname,email,department,title,managerId,status';

export function employees(n: number, from = 1): Employee[] {
  const names: [string, string][] = [['Zoë', 'Ångström'], ['Ada', 'Lovelace'], ['Émile', 'Noël'], ['Grace', 'Hopper'], ['José', 'Muñoz']];
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const [g, s] = names[i % names.length];
    return {
      employeeId: `E${String(i).padStart(5, '0')}`,
      givenName: g,
      surname: `${s}${i}`,
      // mail is IA5String in LDAP: ASCII only, as HR systems export it.
      email: `${g}.${s}${i}@Example.ORG`.normalize('NFD').replace(/\p{M}/gu, ''),
      department: ['Engineering', 'Finance'][i % 2],
      title: 'Engineer',
      managerId: i === 1 ? '' : 'E00001',
      status: 'active',
    };
  });
}

export function toCsv(rows: Employee[]): string {
  const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [HEADER, ...rows.map((r) => [r.employeeId, r.givenName, r.surname, r.email, r.department, r.title, r.managerId, r.status].map(q).join(','))].join('\n') + '\n';
}

export async function writeCsv(path: string, rows: Employee[]): Promise<void> {
  await writeFile(path, toCsv(rows));
}

/** The demo's sample job, aimed at OpenLDAP, with tighter guards and a recipient. */
export function jobBody(sourceConnectionId: string, destinationConnectionId: string, extra: Record<string, unknown> = {}) {
  return {
    ...sampleJob(sourceConnectionId, destinationConnectionId, ['ops@example.org']),
    name: 'Employees to OpenLDAP',
    thresholds: { maxDeletes: 5, maxDeletePercent: 40 },
    ...extra,
  };
}

export async function run(api: GatewayClient, jobId: string, preview = false): Promise<RunJson> {
  const started = await api.post<RunJson>(`/api/jobs/${jobId}/${preview ? 'preview' : 'runs'}`);
  return api.waitForRun(started.id);
}

export async function expectApiError(p: Promise<unknown>, status: number, code: string): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(status);
    expect((e as ApiError).code).toBe(code);
    return e as ApiError;
  }
  throw new Error(`expected ${status} ${code}, but the call succeeded`);
}

export const csvPath = (dir: string, name = 'employees.csv') => join(dir, name);
