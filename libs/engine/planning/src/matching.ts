import type { PlanningJob } from './types';

export type MatchingRule = PlanningJob['matching'][number];

/** A destination object as the planner keeps it: only the attributes the job reads. */
export interface DestinationEntry {
  dn: string;
  /** '' where the destination has none. */
  anchor: string;
  /** Lower-case attribute name → values. */
  attrs: Map<string, string[]>;
}

export type MatchResult =
  | { kind: 'none' }
  | { kind: 'matched'; destination: DestinationEntry }
  | { kind: 'ambiguous'; rule: MatchingRule; destinations: DestinationEntry[] };

/** Matching compares trimmed values regardless of case: "E001 " finds "e001". */
export function matchKey(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * Destination objects indexed by each matching rule's destination attribute, so matching a
 * source object costs a few map lookups.
 */
export class MatchIndex {
  readonly rules: MatchingRule[];
  private readonly byRule: Map<string, DestinationEntry[]>[];

  constructor(rules: MatchingRule[]) {
    // Stable sort: rules with the same priority keep the job's order.
    this.rules = [...rules].sort((a, b) => a.priority - b.priority);
    this.byRule = this.rules.map(() => new Map());
  }

  add(d: DestinationEntry): void {
    this.rules.forEach((rule, i) => {
      for (const v of d.attrs.get(rule.destinationAttribute.toLowerCase()) ?? []) {
        const k = matchKey(v);
        if (!k) continue;
        const list = this.byRule[i].get(k);
        if (!list) this.byRule[i].set(k, [d]);
        else if (!list.includes(d)) list.push(d);
      }
    });
  }

  /**
   * `values[i]` are the source object's match keys for rule i. The first rule that finds
   * anything decides: one object is a match, several are ambiguous (never guessed).
   */
  match(values: string[][]): MatchResult {
    for (let i = 0; i < this.rules.length; i++) {
      const found = new Set<DestinationEntry>();
      for (const v of values[i]) for (const d of this.byRule[i].get(v) ?? []) found.add(d);
      if (found.size === 1) return { kind: 'matched', destination: [...found][0] };
      if (found.size > 1) return { kind: 'ambiguous', rule: this.rules[i], destinations: [...found] };
    }
    return { kind: 'none' };
  }
}
