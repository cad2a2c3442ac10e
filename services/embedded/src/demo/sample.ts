/** The sample that `npm start` runs: an HR export of employees, synchronized into a directory. */

const given = ['Ada', 'Zoë', 'Grace', 'Alan', 'Émile', 'Margaret', 'Linus', 'Søren', 'Barbara', 'Ken', 'Frances', 'José'];
const family = ['Lovelace', 'Ångström', 'Hopper', 'Turing', 'Noël', 'Hamilton', 'Torvalds', 'Kierkegaard', 'Liskov', 'Thompson', 'Allen', 'Muñoz'];
const departments = ['Engineering', 'Finance', 'Sales', 'People'];

export const CSV_HEADER = 'employeeId,givenName,surname,email,department,title,managerId,status';

/** n employees; the first one manages everybody else. Deterministic, so a re-run changes nothing. */
export function sampleEmployees(n: number): string {
  const rows = [CSV_HEADER];
  for (let i = 1; i <= n; i++) {
    const g = given[i % given.length];
    const f = family[(i * 7) % family.length];
    const id = `E${String(i).padStart(5, '0')}`;
    const email = `${g}.${f}${i}@example.org`.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    rows.push([id, g, `${f}${i > family.length ? i : ''}`, email, departments[i % departments.length], i === 1 ? 'CEO' : 'Engineer', i === 1 ? '' : 'E00001', 'active'].join(','));
  }
  return rows.join('\n') + '\n';
}

/** The sample job: the attribute mappings use Entra's expression language. */
export function sampleJob(sourceConnectionId: string, destinationConnectionId: string, notify: string[] = []) {
  return {
    name: 'HR employees to directory',
    objectType: 'user',
    sourceConnectionId,
    destinationConnectionId,
    sourceKey: 'employeeId',
    matching: [{ sourceAttribute: 'employeeId', destinationAttribute: 'employeeNumber', priority: 1 }],
    mappings: [
      { target: 'uid', expression: 'ToLower(Join(".", NormalizeDiacritics([givenName]), NormalizeDiacritics([surname])))', onCreateOnly: true },
      { target: 'cn', expression: 'Join(" ", [givenName], [surname])' },
      { target: 'givenName', expression: '[givenName]' },
      { target: 'sn', expression: '[surname]' },
      { target: 'mail', expression: 'ToLower([email])' },
      { target: 'departmentNumber', expression: '[department]' },
      { target: 'title', expression: '[title]' },
      { target: 'employeeNumber', expression: '[employeeId]' },
    ],
    dnTemplate: 'uid={uid},ou=people',
    objectClasses: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
    deprovision: 'DEPROVISION_ACTION_DELETE',
    thresholds: { maxDeletes: 10, maxDeletePercent: 20 },
    notify,
    requiresApproval: false,
  };
}
