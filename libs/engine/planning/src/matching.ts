import type { PlanningJob } from './types';

export type MatchingRule = PlanningJob['matching'][number];

/**
 * A source object's match keys: per matching rule (in priority order), the source column's values
 * as match keys. A job with one rule and an object with one value, the usual case, keeps that
 * single key as a string ('' for none) instead of an array of arrays.
 */
export type MatchKeys = string | string[][];

/** Positions of destination objects in the planner's arrays. */
export type MatchResult = { kind: 'none' } | { kind: 'matched'; destination: number } | { kind: 'ambiguous'; rule: MatchingRule; destinations: number[] };

const NONE: MatchResult = { kind: 'none' };

/** Matching compares trimmed values regardless of case: "E001 " finds "e001". */
export function matchKey(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * Destination objects (by position) indexed by each matching rule's destination attribute, so
 * matching a source object costs a few map lookups. A key held by one object maps to its
 * position, a key held by several to the list of them.
 */
export class MatchIndex {
  readonly rules: MatchingRule[];
  /** Lower-case destination attribute per rule. */
  readonly attributes: string[];
  private readonly byRule: Map<string, number | number[]>[];

  constructor(rules: MatchingRule[]) {
    // Stable sort: rules with the same priority keep the job's order.
    this.rules = [...rules].sort((a, b) => a.priority - b.priority);
    this.attributes = this.rules.map((r) => r.destinationAttribute.toLowerCase());
    this.byRule = this.rules.map(() => new Map());
  }

  /** `attrs`: the object's attributes by lower-case name. */
  add(d: number, attrs: Map<string, string[]>): void {
    for (let i = 0; i < this.rules.length; i++) {
      const values = attrs.get(this.attributes[i]);
      if (!values) continue;
      const index = this.byRule[i];
      for (const v of values) {
        const k = matchKey(v);
        if (!k) continue;
        const held = index.get(k);
        if (held === undefined) index.set(k, d);
        else if (typeof held === 'number') {
          if (held !== d) index.set(k, [held, d]);
        } else if (!held.includes(d)) held.push(d);
      }
    }
  }

  /** A source object's match keys from its source column values, one list per rule. */
  keysOf(valuesOfRule: (rule: MatchingRule) => string[]): MatchKeys {
    if (this.rules.length === 1) {
      const values = valuesOfRule(this.rules[0]);
      if (values.length === 0) return '';
      if (values.length === 1) return matchKey(values[0]);
    }
    return this.rules.map((r) => [...new Set(valuesOfRule(r).map(matchKey).filter(Boolean))]);
  }

  /**
   * The first rule that finds anything decides: one object is a match, several are ambiguous
   * (never guessed).
   */
  match(keys: MatchKeys): MatchResult {
    if (typeof keys === 'string') {
      if (!keys) return NONE;
      const held = this.byRule[0].get(keys);
      if (held === undefined) return NONE;
      return typeof held === 'number' ? { kind: 'matched', destination: held } : { kind: 'ambiguous', rule: this.rules[0], destinations: [...held] };
    }
    for (let i = 0; i < this.rules.length; i++) {
      const found = new Set<number>();
      for (const v of keys[i]) {
        const held = this.byRule[i].get(v);
        if (held === undefined) continue;
        if (typeof held === 'number') found.add(held);
        else for (const d of held) found.add(d);
      }
      if (found.size === 1) return { kind: 'matched', destination: [...found][0] };
      if (found.size > 1) return { kind: 'ambiguous', rule: this.rules[i], destinations: [...found] };
    }
    return NONE;
  }
}
