import type { CompiledMapping } from './mapping';
import type { DestinationEntry } from './matching';

/**
 * What SelectUniqueValue may hand out: per target attribute, every value the destination holds
 * and every value already given to an object in this plan. Compared case-insensitively, as
 * directories compare uid, mail and userPrincipalName.
 */
export class UniqueValues {
  private readonly taken = new Map<string, Set<string>>();

  constructor(mappings: CompiledMapping[], destinations: Iterable<DestinationEntry>) {
    const keys = mappings.filter((m) => m.expression.selectsUniqueValue).map((m) => m.key);
    for (const k of keys) this.taken.set(k, new Set());
    for (const d of destinations) {
      for (const k of keys) for (const v of d.attrs.get(k) ?? []) this.taken.get(k)!.add(v.toLowerCase());
    }
  }

  /** The isUnique callback for one object; `own` is its destination object, whose values stay its own. */
  checker(key: string, own?: DestinationEntry): (value: string) => boolean {
    const taken = this.taken.get(key)!;
    const mine = new Set((own?.attrs.get(key) ?? []).map((v) => v.toLowerCase()));
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
