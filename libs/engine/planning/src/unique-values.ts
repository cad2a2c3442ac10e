import type { CompiledMapping } from './mapping';

/**
 * What SelectUniqueValue may hand out: per target attribute, every value the destination holds
 * and every value already given to an object in this plan. Compared case-insensitively, as
 * directories compare uid, mail and userPrincipalName.
 */
export class UniqueValues {
  private readonly taken = new Map<string, Set<string>>();
  private readonly keys: string[];

  constructor(mappings: CompiledMapping[]) {
    this.keys = mappings.filter((m) => m.expression.selectsUniqueValue).map((m) => m.key);
    for (const k of this.keys) this.taken.set(k, new Set());
  }

  /** Takes the values a destination object holds; `attrs` by lower-case name. */
  addDestination(attrs: Map<string, string[]>): void {
    for (const k of this.keys) for (const v of attrs.get(k) ?? []) this.taken.get(k)!.add(v.toLowerCase());
  }

  /** The isUnique callback for one object; `own` are its destination object's attributes, whose values stay its own. */
  checker(key: string, own?: Map<string, string[]>): (value: string) => boolean {
    const taken = this.taken.get(key)!;
    const mine = new Set((own?.get(key) ?? []).map((v) => v.toLowerCase()));
    return (value) => {
      const v = value.toLowerCase();
      return !taken.has(v) || mine.has(v);
    };
  }

  claim(key: string, values: string[]): void {
    const taken = this.taken.get(key)!;
    for (const v of values) taken.add(v.toLowerCase());
  }
}
