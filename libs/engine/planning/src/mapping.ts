import { compileExpression, ExpressionError, IGNORE_FLOW, type CompiledExpression, type ExpressionResult } from '@idsync/expressions';
import { PlanningError } from './errors';
import type { MultiValuedPolicy, PlanningJob } from './types';

/** A target's values after mapping, or IGNORE_FLOW: leave the attribute out entirely. */
export type MappedValues = string[] | typeof IGNORE_FLOW;

export interface CompiledMapping {
  target: string;
  /** Lower-case target: attribute names compare regardless of case. */
  key: string;
  onCreateOnly: boolean;
  multiValued: MultiValuedPolicy;
  /** The values are source keys, planned as the DNs of their objects (PlanningJob.mappings[i].reference). */
  reference: boolean;
  expression: CompiledExpression;
}

const POLICIES: MultiValuedPolicy[] = ['replace', 'merge', 'keep'];

/**
 * Compiles every mapping of a job once. All broken expressions are reported together, each
 * with its target and position, so one save fixes them all.
 */
export function compileMappings(mappings: PlanningJob['mappings']): CompiledMapping[] {
  const out: CompiledMapping[] = [];
  const errors: Record<string, string> = {};
  const seen = new Set<string>();
  for (const m of mappings) {
    const key = m.target.trim().toLowerCase();
    if (!key) throw new PlanningError('PLAN.INVALID_JOB', 'a mapping has no target attribute', { field: 'mappings' });
    if (seen.has(key)) throw new PlanningError('PLAN.INVALID_JOB', `two mappings set ${m.target}`, { field: 'mappings', target: m.target });
    seen.add(key);
    const multiValued = m.multiValued || 'replace';
    if (!POLICIES.includes(multiValued)) {
      throw new PlanningError('PLAN.INVALID_JOB', `${m.target}: multiValued must be one of ${POLICIES.join(', ')}, not "${multiValued}"`, { field: 'mappings', target: m.target });
    }
    try {
      const expression = compileExpression(m.expression);
      const reference = m.reference ?? false;
      if (reference && expression.selectsUniqueValue) {
        // A reference names an object by its source key: there is nothing unique to hand out.
        throw new PlanningError('PLAN.INVALID_JOB', `${m.target}: a reference mapping cannot use SelectUniqueValue`, { field: 'mappings', target: m.target });
      }
      out.push({ target: m.target.trim(), key, onCreateOnly: m.onCreateOnly ?? false, multiValued, reference, expression });
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      errors[m.target] = e.message;
    }
  }
  const broken = Object.keys(errors);
  if (broken.length) {
    throw new PlanningError('MAPPING.INVALID_EXPRESSION', `invalid expression: ${broken.map((t) => `${t}: ${errors[t]}`).join('; ')}`, errors);
  }
  return out;
}

/**
 * An expression's result as attribute values. Empty strings are no value (a directory cannot
 * hold one), repeated values appear once, and booleans read True/False as in Entra.
 */
export function toValues(result: ExpressionResult): MappedValues {
  if (result === IGNORE_FLOW) return IGNORE_FLOW;
  if (result === null || result === '') return [];
  if (typeof result === 'string') return [result];
  if (typeof result === 'boolean') return [result ? 'True' : 'False'];
  if (typeof result === 'number') return [String(result)];
  return [...new Set(result.filter((v) => v !== ''))];
}
