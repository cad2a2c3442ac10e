import { valuesOf } from './attrs';
import { PlanningError } from './errors';
import type { Attrs } from './types';

/** The operators of Microsoft Entra's scoping filters, spelled as Entra spells them. */
export const SCOPING_OPERATORS = [
  'EQUALS',
  'NOT EQUALS',
  'IS TRUE',
  'IS FALSE',
  'IS NULL',
  'IS NOT NULL',
  'REGEX MATCH',
  'NOT REGEX MATCH',
  'Greater_Than',
  'Greater_Than_OR_EQUALS',
  'Includes',
  'ENDS_WITH',
  '&',
  '!&',
] as const;

export type ScopingOperator = (typeof SCOPING_OPERATORS)[number];

export interface ScopingClause {
  /** A raw source column, never a mapped value. */
  attribute: string;
  operator: ScopingOperator;
  /** Required by every operator except IS TRUE, IS FALSE, IS NULL and IS NOT NULL, which take none. */
  value?: string;
}

/** Clauses are AND-ed within a group; groups are OR-ed. No group at all: everything is in scope. */
export interface ScopingFilter {
  groups: { clauses: ScopingClause[] }[];
}

const NO_VALUE = new Set<ScopingOperator>(['IS TRUE', 'IS FALSE', 'IS NULL', 'IS NOT NULL']);
const INTEGER_VALUE = new Set<ScopingOperator>(['Greater_Than', 'Greater_Than_OR_EQUALS', '&', '!&']);
/** Operators that hold when the positive form holds for no value (and the attribute has one). */
const NEGATED: Partial<Record<ScopingOperator, ScopingOperator>> = { 'NOT EQUALS': 'EQUALS', 'NOT REGEX MATCH': 'REGEX MATCH', '!&': '&' };
const INTEGER = /^[+-]?\d+$/;

type Test = (value: string) => boolean;

interface CompiledClause {
  attribute: string;
  /** `values` are the attribute's non-empty values. */
  holds: (values: string[]) => boolean;
}

/**
 * A job's scoping filter, checked and compiled once. Semantics follow Microsoft Entra's
 * "Scoping users or groups to be provisioned with scoping filters":
 *
 * - EQUALS, NOT EQUALS, Includes, ENDS_WITH and the regular expressions are case-sensitive;
 * - Greater_Than and Greater_Than_OR_EQUALS compare integers, & and !& test the bitwise AND of
 *   two integers (non-zero for &); an attribute that is not an integer fails the clause;
 * - an empty attribute fails every clause except IS NULL (NOT EQUALS and NOT REGEX MATCH too);
 * - a regular expression matches anywhere in the value unless anchored (JavaScript syntax,
 *   close to .NET's for the usual patterns).
 *
 * Entra does not filter on multi-valued attributes. Here a clause on several values holds when
 * one value satisfies it; a negated clause (NOT EQUALS, NOT REGEX MATCH, !&) holds when no value
 * satisfies its positive form.
 *
 * @example
 *   const scope = new Scope({ groups: [{ clauses: [{ attribute: 'department', operator: 'EQUALS', value: 'Sales' }] }] });
 *   scope.includes({ department: ['Sales'] }); // true
 *   scope.includes({ department: ['sales'] }); // false: case-sensitive, as in Entra
 */
export class Scope {
  private readonly groups: CompiledClause[][];
  /** Lower-case names of the source columns the filter reads. */
  readonly attributes: string[];

  /** Throws PlanningError (PLAN.INVALID_JOB, field "scoping") naming the group and clause, 1-based. */
  constructor(filter: ScopingFilter | undefined) {
    this.groups = (filter?.groups ?? []).map((g, gi) => {
      if (!g.clauses?.length) throw invalid(gi, undefined, 'has no clause; remove the group or add a clause');
      return g.clauses.map((c, ci) => compileClause(c, gi, ci));
    });
    this.attributes = [...new Set(this.groups.flat().map((c) => c.attribute.toLowerCase()))];
  }

  /** True when the filter has no group: every object is in scope. */
  get isEmpty(): boolean {
    return this.groups.length === 0;
  }

  /** Whether a source object, by its raw attributes, is in scope. */
  includes(attributes: Attrs): boolean {
    if (this.groups.length === 0) return true;
    return this.groups.some((clauses) => clauses.every((c) => c.holds(valuesOf(attributes, c.attribute).filter((v) => v !== ''))));
  }
}

/** A clause on an empty attribute is false, as in Entra; a negated one holds when no value satisfies its positive form. */
function clause(attribute: string, test: Test, negated = false): CompiledClause {
  return { attribute, holds: negated ? (values) => values.length > 0 && !values.some(test) : (values) => values.some(test) };
}

function compileClause(c: ScopingClause, gi: number, ci: number): CompiledClause {
  if (!c.attribute?.trim()) throw invalid(gi, ci, 'names no attribute');
  const attribute = c.attribute.trim();
  if (!(SCOPING_OPERATORS as readonly string[]).includes(c.operator)) {
    throw invalid(gi, ci, `has the unknown operator "${c.operator}"; use one of ${SCOPING_OPERATORS.join(', ')}`, c);
  }
  const positive = NEGATED[c.operator] ?? c.operator;
  const negated = positive !== c.operator;
  if (NO_VALUE.has(c.operator) && c.value !== undefined && c.value !== '') throw invalid(gi, ci, `takes no value, but has "${c.value}"`, c);
  if (c.operator === 'IS NULL') return { attribute, holds: (values) => values.length === 0 };
  if (NO_VALUE.has(c.operator)) {
    const test: Test =
      c.operator === 'IS NOT NULL' ? () => true : c.operator === 'IS TRUE' ? (v) => v.trim().toLowerCase() === 'true' : (v) => v.trim().toLowerCase() === 'false';
    return clause(attribute, test);
  }
  const value = c.value;
  if (value === undefined || value === '') throw invalid(gi, ci, 'needs a value', c);
  if (INTEGER_VALUE.has(c.operator) && !INTEGER.test(value.trim())) throw invalid(gi, ci, `needs an integer value, but has "${value}"`, c);
  return clause(attribute, positiveTest(positive, value, gi, ci, c), negated);
}

function positiveTest(operator: ScopingOperator, value: string, gi: number, ci: number, c: ScopingClause): Test {
  switch (operator) {
    case 'EQUALS':
      return (v) => v === value;
    case 'Includes':
      return (v) => v.includes(value);
    case 'ENDS_WITH':
      return (v) => v.endsWith(value);
    case 'REGEX MATCH': {
      let re: RegExp;
      try {
        // No 'u' flag: patterns written for Entra (.NET) such as `.*\@domain.com` use identity escapes.
        re = new RegExp(value);
      } catch (e) {
        throw invalid(gi, ci, `has a regular expression that does not compile: ${(e as Error).message}`, c);
      }
      return (v) => re.test(v);
    }
    case 'Greater_Than':
    case 'Greater_Than_OR_EQUALS': {
      const limit = BigInt(value.trim());
      const orEqual = operator === 'Greater_Than_OR_EQUALS';
      return (v) => {
        const n = integer(v);
        return n !== undefined && (n > limit || (orEqual && n === limit));
      };
    }
    case '&': {
      const mask = BigInt(value.trim());
      return (v) => {
        const n = integer(v);
        return n !== undefined && (n & mask) !== BigInt(0);
      };
    }
    default:
      throw invalid(gi, ci, `has the operator "${operator}", which cannot be used here`, c);
  }
}

function integer(v: string): bigint | undefined {
  const t = v.trim();
  return INTEGER.test(t) ? BigInt(t) : undefined;
}

function invalid(gi: number, ci: number | undefined, reason: string, c?: ScopingClause): PlanningError {
  const where = ci === undefined ? `scoping group ${gi + 1}` : `scoping group ${gi + 1}, clause ${ci + 1}`;
  const what = c ? ` (${c.attribute} ${c.operator}${c.value !== undefined ? ` "${c.value}"` : ''})` : '';
  const details: Record<string, string> = { field: 'scoping', group: String(gi + 1) };
  if (ci !== undefined) details.clause = String(ci + 1);
  if (c) Object.assign(details, { attribute: c.attribute, operator: c.operator, ...(c.value !== undefined ? { value: c.value } : {}) });
  return new PlanningError('PLAN.INVALID_JOB', `${where}${what} ${reason}`, details);
}
