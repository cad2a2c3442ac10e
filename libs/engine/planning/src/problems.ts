import type { ExpressionError } from '@idsync/expressions';
import type { PlanProblem } from './types';

/**
 * Every problem the planner reports, worded for the person who has to fix the data or the job.
 * The objects concerned get no operation; no destination object involved is deleted.
 */
export const problems = {
  evalFailed(sourceKey: string, attribute: string, expression: string, error: Error): PlanProblem {
    const e = error as Partial<ExpressionError>;
    return {
      code: 'MAPPING.EVAL_FAILED',
      message: `source object ${sourceKey}: the mapping of ${attribute} (${expression}) failed: ${error.message}`,
      details: { sourceKey, attribute, expression, error: error.message, ...(e.code ? { errorCode: e.code } : {}) },
    };
  },

  missingKey(sourceKeyAttribute: string, ordinal: number): PlanProblem {
    return {
      code: 'SOURCE.MISSING_KEY',
      message: `source object number ${ordinal} has no ${sourceKeyAttribute}, so it cannot be tracked`,
      details: { sourceKeyAttribute, ordinal: String(ordinal) },
    };
  },

  duplicateKey(sourceKey: string, row: number, otherSourceKey: string, otherRow: number): PlanProblem {
    const same = sourceKey === otherSourceKey;
    return {
      code: 'SOURCE.DUPLICATE_KEY',
      message: same
        ? `source objects number ${row} and ${otherRow} have the same key ${sourceKey}; none of them is planned`
        : `source objects number ${row} (${sourceKey}) and ${otherRow} (${otherSourceKey}) have keys that are the same once normalised; none of them is planned`,
      details: { sourceKey, row: String(row), otherSourceKey, otherRow: String(otherRow), field: 'sourceKey', reason: 'duplicate key' },
    };
  },

  unresolvedReference(sourceKey: string, row: number, attribute: string, value: string): PlanProblem {
    return {
      code: 'SOURCE.UNRESOLVED_REFERENCE',
      message: `source object ${sourceKey} (number ${row}): ${attribute} is ${value}, which is the key of no source object`,
      details: { sourceKey, row: String(row), attribute, value, reason: 'reference does not resolve to a source key' },
    };
  },

  referenceUnresolved(sourceKey: string, row: number, attribute: string, value: string): PlanProblem {
    return {
      code: 'PLAN.UNRESOLVED_REFERENCE',
      message: `source object ${sourceKey} (number ${row}): ${attribute} refers to ${value}, which has no destination object after this plan (no source object of this run gets one, nor does a known link name one); it is not planned`,
      details: { sourceKey, row: String(row), attribute, value, reason: 'reference resolves to no destination object' },
    };
  },

  requiredTargetEmpty(sourceKey: string, row: number, attribute: string): PlanProblem {
    return {
      code: 'MAPPING.REQUIRED_TARGET_EMPTY',
      message: `source object ${sourceKey} (number ${row}) would leave ${attribute} empty, and the job requires it`,
      details: { sourceKey, row: String(row), attribute, reason: 'required target attribute is empty after mapping' },
    };
  },

  situationReported(situation: string, sourceKey: string, dn: string): PlanProblem {
    const who = [sourceKey && `source object ${sourceKey}`, dn && `destination object ${dn}`].filter(Boolean).join(' and ');
    return {
      code: 'PLAN.SITUATION_REPORTED',
      message: `${who} ${sourceKey && dn ? 'are' : 'is'} in the situation ${situation}, which the job reports instead of acting on`,
      details: { situation, sourceKey, dn },
    };
  },

  conflictingLinks(sourceKey: string, anchors: string[]): PlanProblem {
    return {
      code: 'LINK.CONFLICT',
      message: `source object ${sourceKey} is linked to several destination anchors (${anchors.join('; ')}); its links are ignored and it is matched by the rules`,
      details: { sourceKey, anchors: anchors.join('; ') },
    };
  },

  duplicateDestination(dn: string): PlanProblem {
    return { code: 'DESTINATION.DUPLICATE_DN', message: `the destination snapshot holds ${dn} twice`, details: { dn } };
  },

  ambiguousMatch(sourceKey: string, sourceAttribute: string, destinationAttribute: string, dns: string[]): PlanProblem {
    return {
      code: 'PLAN.AMBIGUOUS_MATCH',
      message: `source object ${sourceKey} matches ${dns.length} destination objects by ${sourceAttribute} = ${destinationAttribute}: ${dns.join('; ')}`,
      details: { sourceKey, sourceAttribute, destinationAttribute, dns: dns.join('; ') },
    };
  },

  duplicateMatch(dn: string, sourceKeys: string[]): PlanProblem {
    return {
      code: 'PLAN.DUPLICATE_MATCH',
      message: `destination object ${dn} is matched by several source objects: ${sourceKeys.join(', ')}`,
      details: { dn, sourceKeys: sourceKeys.join(', ') },
    };
  },

  duplicateDn(dn: string, sourceKey: string, otherSourceKey: string): PlanProblem {
    return {
      code: 'PLAN.DUPLICATE_DN',
      message: `source objects ${sourceKey} and ${otherSourceKey} would both be created as ${dn}`,
      details: { dn, sourceKey, otherSourceKey },
    };
  },

  dnExists(dn: string, sourceKey: string): PlanProblem {
    return {
      code: 'PLAN.DN_EXISTS',
      message: `source object ${sourceKey} would be created as ${dn}, which already exists; check the matching rules and the DN template`,
      details: { dn, sourceKey },
    };
  },

  dnValueMissing(sourceKey: string, attribute: string, dnTemplate: string): PlanProblem {
    return {
      code: 'PLAN.DN_VALUE_MISSING',
      message: `source object ${sourceKey} has no ${attribute}, which the DN template ${dnTemplate} needs`,
      details: { sourceKey, attribute, dnTemplate },
    };
  },

  dnValueMultiple(sourceKey: string, attribute: string, values: string[]): PlanProblem {
    return {
      code: 'PLAN.DN_VALUE_MULTIPLE',
      message: `source object ${sourceKey} has ${values.length} values of ${attribute}, and the DN template needs one`,
      details: { sourceKey, attribute, values: values.join('; ') },
    };
  },

  renameRequired(sourceKey: string, dn: string, attribute: string, before: string[], after: string[]): PlanProblem {
    return {
      code: 'PLAN.RENAME_REQUIRED',
      message: `source object ${sourceKey} would change ${attribute}, the naming attribute of ${dn}, but the DN template does not give a new DN for it; put ${attribute} in the template or map it onCreateOnly`,
      details: { sourceKey, dn, attribute, before: before.join('; '), after: after.join('; ') },
    };
  },

  renameTaken(sourceKey: string, dn: string, newDn: string, other: string): PlanProblem {
    return {
      code: 'PLAN.RENAME_TAKEN',
      message: `source object ${sourceKey} would rename ${dn} to ${newDn}, which ${other}; it is left as it is`,
      details: { sourceKey, dn, newDn },
    };
  },

  groupMissing(dn: string, sourceKeys: string[], count: number): PlanProblem {
    return {
      code: 'PLAN.GROUP_MISSING',
      message: `group ${dn} does not exist and the membership rule does not create groups; ${listed(sourceKeys, count)} would be members of it and are not added`,
      details: { dn, sourceKeys: sourceKeys.join(', '), count: String(count) },
    };
  },

  groupWouldBeEmpty(dn: string, removes: number): PlanProblem {
    return {
      code: 'PLAN.GROUP_WOULD_BE_EMPTY',
      message: `group ${dn} would lose its last ${removes === 1 ? 'member' : `${removes} members`}, and its object class requires one; its members are left as they are: delete the group or give it a member`,
      details: { dn, removes: String(removes) },
    };
  },

  groupIsObject(dn: string, sourceKeys: string[], count: number): PlanProblem {
    return {
      code: 'PLAN.GROUP_IS_OBJECT',
      message: `the membership rule gives group ${dn} for ${listed(sourceKeys, count)}, but that DN is an object of the job, not a group; their memberships of it are not planned; check the group DN template`,
      details: { dn, sourceKeys: sourceKeys.join(', '), count: String(count) },
    };
  },
};

/** "source objects E1, E2 and 3 more": a group may have thousands of them. */
function listed(keys: string[], count: number): string {
  const more = count - keys.length;
  return `source object${count === 1 ? '' : 's'} ${keys.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}
