import { IGNORE_FLOW, type EvaluationContext } from '@idsync/expressions';
import { sameValues, valuesOf } from './attrs';
import { namingAttribute, normalizeDn, splitDn, topDownKey } from './dn';
import { DnTemplate } from './dn-template';
import { PlanningError } from './errors';
import { compileMappings, toValues, type CompiledMapping, type MappedValues } from './mapping';
import { matchKey, MatchIndex, type DestinationEntry, type MatchResult } from './matching';
import { problems } from './problems';
import { checkThresholds } from './thresholds';
import { UniqueValues } from './unique-values';
import type { Attrs, IdentityRecord, PlannedChange, PlannedOperation, PlanningJob, PlanProblem, PlanResult } from './types';

export interface PlannerOptions {
  /** Clock and randomness for Now(), Guid() and RandomString(); fix them for repeatable plans. */
  context?: Omit<EvaluationContext, 'isUnique'>;
}

interface SourceEntry {
  key: string;
  /** Per matching rule (in priority order): the source column's values as match keys. */
  matchKeys: string[][];
  /** Per mapping; undefined when the object cannot be planned (a mapping failed, a duplicate key). */
  values?: MappedValues[];
  /** Only the attributes SelectUniqueValue mappings read: those are evaluated in finish(). */
  deferred?: Attrs;
}

type Operation = Omit<PlannedOperation, 'index'>;

/**
 * Computes the plan for one run of one job from its two snapshots, streamed in: destination
 * objects (already limited to the job's scope) with addDestination, source objects with
 * addSource, in either order; then finish(). Pure: it reads and writes nothing.
 *
 * Memory: destination objects (only the attributes the job reads) and mapped source objects
 * are kept in Maps, which is fine for hundreds of thousands of objects. A million-object design
 * — both snapshots sorted by match key and merged, or spilled to disk — is future work.
 *
 * @example
 *   const planner = new Planner(job);
 *   for (const d of destinationObjects) planner.addDestination(d);
 *   for (const s of sourceObjects) planner.addSource(s);
 *   const { operations, summary, violations, problems } = planner.finish();
 */
export class Planner {
  private readonly mappings: CompiledMapping[];
  private readonly template: DnTemplate;
  private readonly index: MatchIndex;
  private readonly context: Omit<EvaluationContext, 'isUnique'>;
  /** Lower-case names of the destination attributes the job reads; the rest is dropped on arrival. */
  private readonly readAttributes = new Set<string>();
  private readonly disable?: { attribute: string; key: string; value: string };
  private readonly destinations = new Map<string, DestinationEntry>();
  private readonly sources = new Map<string, SourceEntry>();
  /** Source objects that may only protect what they match: no key, or a repeated key. */
  private readonly unplannable: SourceEntry[] = [];
  private readonly problems: PlanProblem[] = [];
  private sourceCount = 0;
  private destinationCount = 0;
  private finished = false;

  constructor(
    private readonly job: PlanningJob,
    options: PlannerOptions = {},
  ) {
    this.context = options.context ?? {};
    this.mappings = compileMappings(job.mappings);
    this.template = new DnTemplate(job.dnTemplate, job.baseDn, this.mappings.map((m) => m.target));
    if (job.matching.length === 0) {
      // Without a rule nothing matches: every source object would be created and every destination object deleted.
      throw new PlanningError('PLAN.INVALID_JOB', 'the job needs at least one matching rule', { field: 'matching' });
    }
    this.index = new MatchIndex(job.matching);
    if (job.deprovision === 'disable') {
      if (!job.disable?.attribute || job.disable.value === undefined) {
        throw new PlanningError('PLAN.INVALID_JOB', 'deprovisioning by disabling needs disable.attribute and disable.value', { field: 'disable' });
      }
      this.disable = { attribute: job.disable.attribute, key: job.disable.attribute.toLowerCase(), value: job.disable.value };
      this.readAttributes.add(this.disable.key);
    }
    for (const m of this.mappings) this.readAttributes.add(m.key);
    for (const r of job.matching) this.readAttributes.add(r.destinationAttribute.toLowerCase());
  }

  addDestination(rec: IdentityRecord): void {
    this.assertOpen();
    this.destinationCount++;
    const attrs = new Map<string, string[]>();
    for (const [name, values] of Object.entries(rec.attributes)) {
      const key = name.toLowerCase();
      if (this.readAttributes.has(key) && values?.length) attrs.set(key, values);
    }
    const normalized = normalizeDn(rec.key);
    if (this.destinations.has(normalized)) {
      this.problems.push(problems.duplicateDestination(rec.key));
      return;
    }
    const entry: DestinationEntry = { dn: rec.key, attrs };
    this.destinations.set(normalized, entry);
    this.index.add(entry);
  }

  /** Maps the object at once and keeps only the mapped values and its match keys. */
  addSource(rec: IdentityRecord): void {
    this.assertOpen();
    this.sourceCount++;
    const key = (rec.key || valuesOf(rec.attributes, this.job.sourceKey)[0] || '').trim();
    const matchKeys = this.index.rules.map((r) => [...new Set(valuesOf(rec.attributes, r.sourceAttribute).map(matchKey).filter(Boolean))]);
    if (!key) {
      this.problems.push(problems.missingKey(this.job.sourceKey, this.sourceCount));
      this.unplannable.push({ key, matchKeys });
      return;
    }
    const earlier = this.sources.get(key);
    if (earlier) {
      if (earlier.values) this.problems.push(problems.duplicateKey(key));
      earlier.values = undefined;
      this.unplannable.push({ key, matchKeys });
      return;
    }
    this.sources.set(key, this.map(key, rec.attributes, matchKeys));
  }

  private map(key: string, attributes: Attrs, matchKeys: string[][]): SourceEntry {
    const entry: SourceEntry = { key, matchKeys, values: [] };
    for (const m of this.mappings) {
      if (m.expression.selectsUniqueValue) {
        // Uniqueness depends on every other object: decided in finish(), in source key order.
        entry.deferred ??= {};
        for (const name of m.expression.attributes) entry.deferred[name] = valuesOf(attributes, name);
        entry.values!.push([]);
        continue;
      }
      try {
        entry.values!.push(toValues(m.expression(attributes, this.context)));
      } catch (e) {
        this.problems.push(problems.evalFailed(key, m.target, m.expression.text, e as Error));
        entry.values = undefined;
        return entry;
      }
    }
    return entry;
  }

  finish(): PlanResult {
    this.assertOpen();
    this.finished = true;
    // Source key order, not arrival order: the same snapshots always give the same plan.
    const sources = [...this.sources.values(), ...this.unplannable].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const { kept, claims, results } = this.matchAll(sources);
    const unique = this.mappings.some((m) => m.expression.selectsUniqueValue) ? new UniqueValues(this.mappings, this.destinations.values()) : undefined;
    const creates = new Map<string, { op: Operation; sourceKey: string }[]>();
    const updates: Operation[] = [];
    let unchanged = 0;
    for (const s of sources) {
      const r = results.get(s)!;
      if (!s.values || r.kind === 'ambiguous') continue;
      if (r.kind === 'none') {
        this.planCreate(s, unique, creates, kept);
      } else if (claims.get(r.destination)!.length === 1) {
        const op = this.planUpdate(s, r.destination, unique);
        if (op === 'unchanged') unchanged++;
        else if (op) updates.push(op);
      }
    }
    const createOps: Operation[] = [];
    for (const group of creates.values()) {
      if (group.length === 1) createOps.push(group[0].op);
      else for (const other of group.slice(1)) this.problems.push(problems.duplicateDn(group[0].op.dn, group[0].sourceKey, other.sourceKey));
    }

    const { deletes, disables } = this.planDeprovisioning(kept);
    const operations = [...byDn(createOps), ...byDn(updates), ...byDn(disables), ...byDn(deletes, true)].map((op, index) => ({ index, ...op }));
    const summary = {
      sourceCount: this.sourceCount,
      destinationCount: this.destinationCount,
      creates: createOps.length,
      updates: updates.length,
      deletes: deletes.length,
      disables: disables.length,
      unchanged,
    };
    const violations = checkThresholds(summary, this.job.thresholds);
    const sortedProblems = this.problems.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
    return { operations, summary, violations, problems: sortedProblems };
  }

  /**
   * Matches every source object. Returns the destination objects that must survive this run
   * (matched, or involved in a problem) and, per destination object, the source objects claiming it.
   */
  private matchAll(sources: SourceEntry[]): { kept: Set<DestinationEntry>; claims: Map<DestinationEntry, SourceEntry[]>; results: Map<SourceEntry, MatchResult> } {
    const kept = new Set<DestinationEntry>();
    const claims = new Map<DestinationEntry, SourceEntry[]>();
    const results = new Map<SourceEntry, MatchResult>();
    for (const s of sources) {
      const r = this.index.match(s.matchKeys);
      results.set(s, r);
      if (r.kind === 'ambiguous') {
        this.problems.push(problems.ambiguousMatch(s.key, r.rule.sourceAttribute, r.rule.destinationAttribute, r.destinations.map((d) => d.dn).sort()));
        r.destinations.forEach((d) => kept.add(d));
      } else if (r.kind === 'matched') {
        kept.add(r.destination);
        const claimants = claims.get(r.destination);
        if (claimants) claimants.push(s);
        else claims.set(r.destination, [s]);
      }
    }
    for (const [d, claimants] of claims) {
      // A repeated source key is already its own problem; only distinct objects make a duplicate match.
      const keys = [...new Set(claimants.map((c) => c.key))];
      if (keys.length > 1) this.problems.push(problems.duplicateMatch(d.dn, keys));
    }
    return { kept, claims, results };
  }

  private planUpdate(s: SourceEntry, d: DestinationEntry, unique?: UniqueValues): Operation | 'unchanged' | undefined {
    const changes: PlannedChange[] = [];
    for (const [i, m] of this.mappings.entries()) {
      if (m.onCreateOnly) continue;
      const after = m.expression.selectsUniqueValue ? this.selectUnique(s, m, unique!, d) : s.values![i];
      if (after === undefined) return undefined;
      if (after === IGNORE_FLOW) continue;
      const before = d.attrs.get(m.key) ?? [];
      if (sameValues(before, after)) continue;
      if (m.key === namingAttribute(d.dn)) {
        this.problems.push(problems.renameRequired(s.key, d.dn, m.target, before, after));
        return undefined;
      }
      changes.push(change(m, before, after));
    }
    // The object is back in the source after being disabled: enable it again, unless a mapping owns the attribute.
    if (this.disable && this.isDisabled(d) && !this.mappings.some((m) => m.key === this.disable!.key)) {
      changes.push({ attribute: this.disable.attribute, before: d.attrs.get(this.disable.key)!, after: [] });
    }
    if (changes.length === 0) return 'unchanged';
    return { kind: 'update', dn: d.dn, sourceKey: s.key, objectClasses: [], changes };
  }

  private planCreate(s: SourceEntry, unique: UniqueValues | undefined, creates: Map<string, { op: Operation; sourceKey: string }[]>, kept: Set<DestinationEntry>): void {
    const values: MappedValues[] = [];
    for (const [i, m] of this.mappings.entries()) {
      const v = m.expression.selectsUniqueValue ? this.selectUnique(s, m, unique!) : s.values![i];
      if (v === undefined) return;
      values.push(v);
    }
    const valuesOfTarget = (target: string) => {
      const v = values[this.mappings.findIndex((m) => m.target === target)];
      return v === IGNORE_FLOW ? [] : v;
    };
    const rendered = this.template.render(valuesOfTarget);
    if ('missing' in rendered) {
      this.problems.push(problems.dnValueMissing(s.key, rendered.missing, this.job.dnTemplate));
      return;
    }
    if ('multiple' in rendered) {
      this.problems.push(problems.dnValueMultiple(s.key, rendered.multiple, rendered.values));
      return;
    }
    const normalized = normalizeDn(rendered.dn);
    const existing = this.destinations.get(normalized);
    if (existing) {
      this.problems.push(problems.dnExists(rendered.dn, s.key));
      kept.add(existing);
      return;
    }
    const changes = this.mappings.flatMap((m, i) => {
      const v = values[i];
      return v === IGNORE_FLOW || v.length === 0 ? [] : [change(m, [], v)];
    });
    const op: Operation = { kind: 'create', dn: rendered.dn, sourceKey: s.key, objectClasses: [...this.job.objectClasses], changes };
    creates.set(normalized, [...(creates.get(normalized) ?? []), { op, sourceKey: s.key }]);
  }

  /** undefined when SelectUniqueValue failed; the problem is recorded. */
  private selectUnique(s: SourceEntry, m: CompiledMapping, unique: UniqueValues, own?: DestinationEntry): MappedValues | undefined {
    try {
      const v = toValues(m.expression(s.deferred ?? {}, { ...this.context, isUnique: unique.checker(m.key, own) }));
      if (v !== IGNORE_FLOW) unique.claim(m.key, v);
      return v;
    } catch (e) {
      this.problems.push(problems.evalFailed(s.key, m.target, m.expression.text, e as Error));
      return undefined;
    }
  }

  private planDeprovisioning(kept: Set<DestinationEntry>): { deletes: Operation[]; disables: Operation[] } {
    const deletes: Operation[] = [];
    const disables: Operation[] = [];
    // An empty source is far more often a broken export than an empty organisation.
    if (this.job.deprovision === 'ignore' || (this.sourceCount === 0 && !this.job.thresholds.allowEmptySource)) return { deletes, disables };
    for (const d of this.destinations.values()) {
      if (kept.has(d)) continue;
      if (this.job.deprovision === 'delete') {
        deletes.push({ kind: 'delete', dn: d.dn, sourceKey: '', objectClasses: [], changes: [] });
      } else if (this.disable && !this.isDisabled(d)) {
        const before = d.attrs.get(this.disable.key) ?? [];
        disables.push({ kind: 'disable', dn: d.dn, sourceKey: '', objectClasses: [], changes: [{ attribute: this.disable.attribute, before, after: [this.disable.value] }] });
      }
    }
    return { deletes, disables };
  }

  private isDisabled(d: DestinationEntry): boolean {
    if (!this.disable) return false;
    const want = this.disable.value.toLowerCase();
    return (d.attrs.get(this.disable.key) ?? []).some((v) => v.toLowerCase() === want);
  }

  private assertOpen(): void {
    if (this.finished) throw new PlanningError('PLAN.FINISHED', 'this planner has already produced its plan; use a new Planner per run');
  }
}

function change(m: CompiledMapping, before: string[], after: string[]): PlannedChange {
  return m.expression.redacted ? { attribute: m.target, before, after, redacted: true } : { attribute: m.target, before, after };
}

/**
 * DN order. Top down (parents first) for creates and updates; for deletes deepest first, so a
 * child is always deleted before its parent, and by name within a depth.
 */
function byDn(ops: Operation[], deepestFirst = false): Operation[] {
  return ops
    .map((op) => ({ op, key: topDownKey(op.dn), depth: splitDn(op.dn).length }))
    .sort((a, b) => (deepestFirst && a.depth !== b.depth ? b.depth - a.depth : a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((x) => x.op);
}
