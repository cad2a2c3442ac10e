import { IGNORE_FLOW, type EvaluationContext } from '@idsync/expressions';
import { sameValues, valuesOf } from './attrs';
import { namingAttribute, normalizeDn, splitDn, topDownKey } from './dn';
import { DnTemplate } from './dn-template';
import { PlanningError } from './errors';
import { compileMappings, toValues, type CompiledMapping, type MappedValues } from './mapping';
import { matchKey, MatchIndex, type DestinationEntry, type MatchResult } from './matching';
import { canonicalKey, keyIdentity, resolveChecks, type ResolvedChecks } from './checks';
import { problems } from './problems';
import { Scope } from './scoping';
import { emptySituationCounts, resolveActions, type Situation, type SituationActions } from './situations';
import { checkThresholds } from './thresholds';
import { UniqueValues } from './unique-values';
import type { Attrs, IdentityRecord, NewLink, Orphan, PlannedChange, PlannedOperation, PlanningJob, PlanProblem, PlanResult } from './types';

export interface PlannerOptions {
  /** Clock and randomness for Now(), Guid() and RandomString(); fix them for repeatable plans. */
  context?: Omit<EvaluationContext, 'isUnique'>;
  /**
   * Link (membership) counts for the link guards, counted by the caller: the planner does not
   * compute links yet. Each defaults to 0.
   */
  linkCounts?: { existing?: number; creates?: number; updates?: number; deletes?: number };
}

interface SourceEntry {
  key: string;
  /** Position in the source snapshot, from 1: how a person finds the row. */
  row: number;
  /** Whether the job's scoping filter lets the object in. */
  inScope: boolean;
  /** Per matching rule (in priority order): the source column's values as match keys. */
  matchKeys: string[][];
  /** Per mapping; undefined when the object cannot be planned (a mapping failed, a duplicate key, out of scope). */
  values?: MappedValues[];
  /** Only the attributes SelectUniqueValue mappings read: those are evaluated in finish(). */
  deferred?: Attrs;
  /** Values of the columns checks.references names, checked in finish() once every key is known. */
  references?: [string, string[]][];
}

/** Where a source object stands, before its action. */
type Placement =
  | { situation: 'linked' | 'unlinked_match'; destination: DestinationEntry }
  | { situation: 'unmatched' }
  | { situation: 'ambiguous'; match: Extract<MatchResult, { kind: 'ambiguous' }> };

type Operation = Omit<PlannedOperation, 'index'>;

/**
 * Computes the plan for one run of one job from its two snapshots, streamed in: destination
 * objects (already limited to the destination scope) with addDestination, source objects with
 * addSource, known links with addLink, in any order; then finish(). Each source/destination pair
 * lands in one situation (linked, unlinked_match, unmatched, source_deleted, ambiguous) and gets
 * the job's action for it. Pure: it reads and writes nothing.
 *
 * Memory: destination objects (only the attributes the job reads) and mapped source objects
 * are kept in Maps, which is fine for hundreds of thousands of objects. A million-object design
 * — both snapshots sorted by match key and merged, or spilled to disk — is future work.
 *
 * @example
 *   const planner = new Planner(job);
 *   for (const d of destinationObjects) planner.addDestination(d);
 *   for (const s of sourceObjects) planner.addSource(s);
 *   for (const l of knownLinks) planner.addLink(l.sourceKey, l.anchor);
 *   const { operations, summary, violations, problems, situations, orphans, newLinks, blocking } = planner.finish();
 */
export class Planner {
  private readonly mappings: CompiledMapping[];
  private readonly template: DnTemplate;
  private readonly index: MatchIndex;
  private readonly context: Omit<EvaluationContext, 'isUnique'>;
  /** Lower-case names of the destination attributes the job reads; the rest is dropped on arrival. */
  private readonly readAttributes = new Set<string>();
  private readonly disable?: { attribute: string; key: string; value: string };
  private readonly scope: Scope;
  private readonly actions: SituationActions;
  private readonly checks: ResolvedChecks;
  private readonly destinations = new Map<string, DestinationEntry>();
  private readonly byAnchor = new Map<string, DestinationEntry>();
  /** Key identity → the anchors it was linked to; several is a conflict, and the link is not used. */
  private readonly links = new Map<string, { key: string; anchors: string[] }>();
  /** Key identity → source object. */
  private readonly sources = new Map<string, SourceEntry>();
  /** Source objects that may only protect what they match: no key, or a repeated key. */
  private readonly unplannable: SourceEntry[] = [];
  /** Source objects the scoping filter leaves out: they only decide what happens to what they link to or match. */
  private readonly outOfScope: SourceEntry[] = [];
  private readonly problems: PlanProblem[] = [];
  private sourceCount = 0;
  private inScopeCount = 0;
  private destinationCount = 0;
  private finished = false;

  constructor(
    private readonly job: PlanningJob,
    private readonly options: PlannerOptions = {},
  ) {
    this.context = options.context ?? {};
    this.mappings = compileMappings(job.mappings);
    this.scope = new Scope(job.scoping);
    this.actions = resolveActions(job);
    this.checks = resolveChecks(job.checks, this.mappings.map((m) => m.target));
    this.template = new DnTemplate(job.dnTemplate, job.baseDn, this.mappings.map((m) => m.target));
    if (job.matching.length === 0) {
      // Without a rule nothing matches: every source object would be created and every destination object deleted.
      throw new PlanningError('PLAN.INVALID_JOB', 'the job needs at least one matching rule', { field: 'matching' });
    }
    this.index = new MatchIndex(job.matching);
    if (this.actions.source_deleted === 'disable') {
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
    const anchor = rec.anchor ?? '';
    const entry: DestinationEntry = { dn: rec.key, anchor, attrs };
    this.destinations.set(normalized, entry);
    // Anchors are immutable and unique in a directory; the first holder wins if a snapshot says otherwise.
    if (anchor && !this.byAnchor.has(anchor)) this.byAnchor.set(anchor, entry);
    this.index.add(entry);
  }

  /**
   * A known link: the source object with this key was provisioned as the destination object with
   * this anchor (entryUUID, objectGUID). A linked object is found by its anchor even when its
   * matching attribute or its DN changed, so it is updated, never deleted and created again.
   *
   * @example
   *   planner.addLink('E1', '8f14e45f-ceea-4b67-a1c2-0a8f1b2c3d4e');
   */
  addLink(sourceKey: string, anchor: string): void {
    this.assertOpen();
    const key = canonicalKey(sourceKey);
    if (!key || !anchor) return;
    const identity = keyIdentity(key, this.checks.keyCase);
    const link = this.links.get(identity);
    if (!link) this.links.set(identity, { key, anchors: [anchor] });
    else if (!link.anchors.includes(anchor)) link.anchors.push(anchor);
  }

  /** Maps the object at once and keeps only the mapped values and its match keys. */
  addSource(rec: IdentityRecord): void {
    this.assertOpen();
    this.sourceCount++;
    const row = this.sourceCount;
    const key = canonicalKey(rec.key || valuesOf(rec.attributes, this.job.sourceKey)[0] || '');
    const matchKeys = this.index.rules.map((r) => [...new Set(valuesOf(rec.attributes, r.sourceAttribute).map(matchKey).filter(Boolean))]);
    if (!this.scope.includes(rec.attributes)) {
      // As if the object were not there: not mapped (its data cannot fail a mapping) and no problem
      // about its key, so a terminated row left in the export never blocks its rehired successor.
      this.outOfScope.push({ key, row, inScope: false, matchKeys });
      return;
    }
    this.inScopeCount++;
    if (!key) {
      this.problems.push(problems.missingKey(this.job.sourceKey, row));
      this.unplannable.push({ key, row, inScope: true, matchKeys });
      return;
    }
    const identity = keyIdentity(key, this.checks.keyCase);
    const earlier = this.sources.get(identity);
    if (earlier) {
      this.problems.push(problems.duplicateKey(earlier.key, earlier.row, key, row));
      earlier.values = undefined;
      this.unplannable.push({ key, row, inScope: true, matchKeys });
      return;
    }
    const entry = this.map(key, row, rec.attributes, matchKeys);
    if (this.checks.references.length) entry.references = this.checks.references.map((a) => [a, valuesOf(rec.attributes, a)]);
    this.sources.set(identity, entry);
  }

  private map(key: string, row: number, attributes: Attrs, matchKeys: string[][]): SourceEntry {
    const entry: SourceEntry = { key, row, inScope: true, matchKeys, values: [] };
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
    const sources = [...this.sources.values(), ...this.unplannable, ...this.outOfScope].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.row - b.row));
    this.checkReferences(sources);
    const { kept, claims, placements, claimedByAnyone, situations } = this.placeAll(sources);
    const unique = this.mappings.some((m) => m.expression.selectsUniqueValue) ? new UniqueValues(this.mappings, this.destinations.values()) : undefined;
    const creates = new Map<string, { op: Operation; sourceKey: string }[]>();
    const updates: Operation[] = [];
    const newLinks: NewLink[] = [];
    let unchanged = 0;
    for (const s of sources) {
      const p = placements.get(s);
      if (!p || !s.values || p.situation === 'ambiguous') continue;
      const action = this.actions[p.situation];
      if (p.situation === 'unmatched') {
        if (action === 'create') this.planCreate(s, unique, creates, kept);
        else if (action === 'report') this.problems.push(problems.situationReported('unmatched', s.key, ''));
        continue;
      }
      const d = p.destination;
      if (claims.get(d)!.length !== 1) continue;
      if (action === 'report') {
        this.problems.push(problems.situationReported(p.situation, s.key, d.dn));
      } else if (action === 'link') {
        newLinks.push({ sourceKey: s.key, dn: d.dn, anchor: d.anchor });
      } else if (action === 'update') {
        const op = this.planUpdate(s, d, unique, p.situation === 'linked');
        if (op === undefined) continue;
        if (op === 'unchanged') unchanged++;
        else updates.push(op);
        if (p.situation === 'unlinked_match') newLinks.push({ sourceKey: s.key, dn: d.dn, anchor: d.anchor });
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
    const links = this.options.linkCounts ?? {};
    const violations = checkThresholds(
      {
        ...summary,
        inScopeCount: this.scope.isEmpty ? undefined : this.inScopeCount,
        linkCount: links.existing ?? 0,
        linkCreates: links.creates ?? 0,
        linkUpdates: links.updates ?? 0,
        linkDeletes: links.deletes ?? 0,
      },
      this.job.thresholds,
    );
    const sortedProblems = this.problems.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
    const orphans: Orphan[] = byDn([...this.destinations.values()].filter((d) => !claimedByAnyone.has(d)).map((d) => ({ dn: d.dn, anchor: d.anchor })));
    newLinks.sort((a, b) => (a.sourceKey < b.sourceKey ? -1 : a.sourceKey > b.sourceKey ? 1 : 0));
    return {
      operations,
      summary,
      violations,
      problems: sortedProblems,
      situations,
      orphans,
      newLinks,
      blocking: sortedProblems.length > 0 && this.checks.onError === 'block',
    };
  }

  /** checks.references: every value must be the key of a source object read (in scope or not). */
  private checkReferences(sources: SourceEntry[]): void {
    if (this.checks.references.length === 0) return;
    const keys = new Set(sources.filter((s) => s.key).map((s) => keyIdentity(s.key, this.checks.keyCase)));
    for (const s of sources) {
      if (!s.values || !s.references) continue;
      for (const [attribute, values] of s.references) {
        const missing = values.find((v) => canonicalKey(v) !== '' && !keys.has(keyIdentity(v, this.checks.keyCase)));
        if (missing !== undefined) {
          this.problems.push(problems.unresolvedReference(s.key, s.row, attribute, missing));
          s.values = undefined;
          break;
        }
      }
    }
  }

  /** The destination object a source key is linked to, if the link is known and the object still exists. */
  private linkedDestination(s: SourceEntry): DestinationEntry | undefined {
    if (!s.key) return undefined;
    const link = this.links.get(keyIdentity(s.key, this.checks.keyCase));
    if (!link || link.anchors.length !== 1) return undefined;
    return this.byAnchor.get(link.anchors[0]);
  }

  /**
   * Places every source object in its situation. Returns the destination objects that must
   * survive this run (claimed, involved in a problem, or kept by outOfScopeAction 'ignore'), per
   * destination object the in-scope source objects claiming it, and the situation counts.
   */
  private placeAll(sources: SourceEntry[]): {
    kept: Set<DestinationEntry>;
    claims: Map<DestinationEntry, SourceEntry[]>;
    placements: Map<SourceEntry, Placement>;
    claimedByAnyone: Set<DestinationEntry>;
    situations: Record<Situation, number>;
  } {
    for (const [, link] of this.links) if (link.anchors.length > 1) this.problems.push(problems.conflictingLinks(link.key, link.anchors));
    const kept = new Set<DestinationEntry>();
    const claims = new Map<DestinationEntry, SourceEntry[]>();
    const placements = new Map<SourceEntry, Placement>();
    const claimedByAnyone = new Set<DestinationEntry>();
    /** Candidates of an in-scope ambiguous match: kept, and not source_deleted. */
    const candidates = new Set<DestinationEntry>();
    const situations = emptySituationCounts();
    const place = (s: SourceEntry): Placement => {
      const linked = this.linkedDestination(s);
      if (linked) return { situation: 'linked', destination: linked };
      const r = this.index.match(s.matchKeys);
      if (r.kind === 'matched') return { situation: 'unlinked_match', destination: r.destination };
      if (r.kind === 'ambiguous') return { situation: 'ambiguous', match: r };
      return { situation: 'unmatched' };
    };
    for (const s of sources) {
      const p = place(s);
      if (!s.inScope) {
        // As if the object were not there; its destination object is source_deleted, unless kept on purpose.
        if (p.situation === 'linked' || p.situation === 'unlinked_match') {
          claimedByAnyone.add(p.destination);
          if (this.job.outOfScopeAction === 'ignore') kept.add(p.destination);
        } else if (p.situation === 'ambiguous') {
          p.match.destinations.forEach((d) => claimedByAnyone.add(d));
          if (this.job.outOfScopeAction === 'ignore') p.match.destinations.forEach((d) => kept.add(d));
        }
        continue;
      }
      placements.set(s, p);
      situations[p.situation]++;
      if (p.situation === 'ambiguous') {
        const { rule, destinations } = p.match;
        this.problems.push(problems.ambiguousMatch(s.key, rule.sourceAttribute, rule.destinationAttribute, destinations.map((d) => d.dn).sort()));
        destinations.forEach((d) => (kept.add(d), claimedByAnyone.add(d), candidates.add(d)));
      } else if (p.situation !== 'unmatched') {
        kept.add(p.destination);
        claimedByAnyone.add(p.destination);
        const claimants = claims.get(p.destination);
        if (claimants) claimants.push(s);
        else claims.set(p.destination, [s]);
      }
    }
    for (const [d, claimants] of claims) {
      // A repeated source key is already its own problem; only distinct objects make a duplicate match.
      const keys = [...new Set(claimants.map((c) => c.key))];
      if (keys.length > 1) this.problems.push(problems.duplicateMatch(d.dn, keys));
    }
    for (const d of this.destinations.values()) if (!claims.has(d) && !kept.has(d)) situations.source_deleted++;
    // Kept by outOfScopeAction 'ignore': their source object is still out of scope.
    for (const d of kept) if (!claims.has(d) && !candidates.has(d)) situations.source_deleted++;
    return { kept, claims, placements, claimedByAnyone, situations };
  }

  /**
   * The update that brings a matched or linked destination object in line, 'unchanged', or
   * undefined when the object has a problem (recorded). `linked`: the DN the template gives must
   * still be the object's DN, since a rename cannot be planned.
   */
  private planUpdate(s: SourceEntry, d: DestinationEntry, unique: UniqueValues | undefined, linked: boolean): Operation | 'unchanged' | undefined {
    // Per mapping: the values after this run; IGNORE_FLOW keeps the destination's (onCreateOnly too).
    const afters: MappedValues[] = [];
    for (const [i, m] of this.mappings.entries()) {
      if (m.onCreateOnly) {
        afters.push(IGNORE_FLOW);
        continue;
      }
      const after = m.expression.selectsUniqueValue ? this.selectUnique(s, m, unique!, d) : s.values![i];
      if (after === undefined) return undefined;
      afters.push(after);
    }
    const final = (i: number): string[] => {
      const a = afters[i];
      return a === IGNORE_FLOW ? (d.attrs.get(this.mappings[i].key) ?? []) : a;
    };
    if (!this.requiredPresent(s, (key) => final(this.mappings.findIndex((m) => m.key === key)))) return undefined;
    if (linked) {
      const rendered = this.template.render((target) => final(this.mappings.findIndex((m) => m.target === target)));
      if ('dn' in rendered && normalizeDn(rendered.dn) !== normalizeDn(d.dn)) {
        const attribute = namingAttribute(d.dn) ?? '';
        const i = this.mappings.findIndex((m) => m.key === attribute);
        this.problems.push(problems.renameRequired(s.key, d.dn, attribute, d.attrs.get(attribute) ?? [], i >= 0 ? final(i) : [], rendered.dn));
        return undefined;
      }
    }
    const changes: PlannedChange[] = [];
    for (const [i, m] of this.mappings.entries()) {
      const after = afters[i];
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

  /** checks.requiredTargets; false (problem recorded) when one is empty. */
  private requiredPresent(s: SourceEntry, valuesOfKey: (key: string) => string[]): boolean {
    for (const key of this.checks.requiredTargets) {
      if (valuesOfKey(key).length === 0) {
        const target = this.mappings.find((m) => m.key === key)!.target;
        this.problems.push(problems.requiredTargetEmpty(s.key, s.row, target));
        return false;
      }
    }
    return true;
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
    if (!this.requiredPresent(s, (key) => valuesOfTarget(this.mappings.find((m) => m.key === key)!.target))) return;
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
    const action = this.actions.source_deleted;
    const emptySource = this.sourceCount === 0 || (!this.scope.isEmpty && this.inScopeCount === 0);
    if (action === 'ignore' || (emptySource && !this.job.thresholds.allowEmptySource)) return { deletes, disables };
    for (const d of this.destinations.values()) {
      if (kept.has(d)) continue;
      if (action === 'report') {
        this.problems.push(problems.situationReported('source_deleted', '', d.dn));
      } else if (action === 'delete') {
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
function byDn<T extends { dn: string }>(ops: T[], deepestFirst = false): T[] {
  return ops
    .map((op) => ({ op, key: topDownKey(op.dn), depth: splitDn(op.dn).length }))
    .sort((a, b) => (deepestFirst && a.depth !== b.depth ? b.depth - a.depth : a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((x) => x.op);
}
