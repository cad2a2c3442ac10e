import { IdsyncError, type JobSpec } from '@idsync/contracts';
import { parseExpression } from '@idsync/expressions';

/**
 * Checks a job before it is saved, so a broken job never reaches a run. Every problem is
 * listed, with the field it concerns.
 */
export function validateJob(job: JobSpec): void {
  const problems: Record<string, string> = {};
  if (!job.name.trim()) problems.name = 'a job needs a name';
  if (!job.sourceConnectionId) problems.sourceConnectionId = 'a job needs a source connection';
  if (!job.destinationConnectionId) problems.destinationConnectionId = 'a job needs a destination connection';
  if (!job.sourceKey) problems.sourceKey = 'a job needs the source column that identifies an object';
  if (!job.dnTemplate) problems.dnTemplate = 'a job needs a DN template, e.g. "uid={uid},ou=people"';
  if (job.matching.length === 0) problems.matching = 'a job needs at least one matching rule';
  if (job.mappings.length === 0) problems.mappings = 'a job needs at least one attribute mapping';
  job.mappings.forEach((m, i) => {
    if (!m.target) problems[`mappings[${i}].target`] = 'a mapping needs a target attribute';
    try {
      const ast = parseExpression(m.expression);
      // A reference's values are other objects' keys: there is no unique value of them to pick.
      if (m.reference && ast.kind === 'call' && ast.name === 'SelectUniqueValue') {
        problems[`mappings[${i}].reference`] = `${m.target}: a reference mapping cannot use SelectUniqueValue`;
      }
    } catch (e) {
      problems[`mappings[${i}].expression`] = `${m.target}: ${(e as Error).message}`;
    }
    if (m.multiValued && !['replace', 'merge', 'keep'].includes(m.multiValued)) {
      problems[`mappings[${i}].multiValued`] = `${m.target}: multiValued is replace, merge or keep, not "${m.multiValued}"`;
    }
  });
  job.memberships.forEach((r, i) => {
    if (!r.sourceAttribute) problems[`memberships[${i}].sourceAttribute`] = 'a membership rule needs the source attribute that names the groups';
    if (!r.groupDnTemplate.includes('{value}')) problems[`memberships[${i}].groupDnTemplate`] = 'a group DN template names the group with {value}, e.g. "cn={value},ou=groups"';
    if (r.policy && r.policy !== 'replace' && r.policy !== 'merge') problems[`memberships[${i}].policy`] = `policy is replace or merge, not "${r.policy}"`;
  });
  for (const placeholder of job.dnTemplate.match(/\{([^}]+)\}/g) ?? []) {
    const name = placeholder.slice(1, -1);
    const mapping = job.mappings.find((m) => m.target.toLowerCase() === name.toLowerCase());
    if (!mapping) problems.dnTemplate = `the DN template uses {${name}} but no mapping sets ${name}`;
    // Its values are other objects' DNs, known only once the plan is: an object's own DN cannot wait for them.
    else if (mapping.reference) problems.dnTemplate = `the DN template uses {${name}}, a reference mapping; a DN needs the object's own values`;
  }
  if (job.disable && job.deprovision === 2 && !job.disable.attribute) problems.disable = 'deprovision by disabling needs disable.attribute';
  const keys = Object.keys(problems);
  if (keys.length) {
    throw new IdsyncError('JOB.INVALID', `the job is not valid: ${keys.map((k) => `${k}: ${problems[k]}`).join('; ')}`, problems);
  }
}
