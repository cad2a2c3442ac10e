import { IGNORE_FLOW, type EvaluationContext } from '@idsync/expressions';
import { sameValues, valuesOf } from './attrs';
import { canonicalKey, keyIdentity, resolveChecks, sourceKeyOf, type ResolvedChecks } from './checks';
import { escapeDnValue, namingAttribute, normalizeDn, splitDn, topDownKey } from './dn';
import { DnTemplate } from './dn-template';
import { PlanningError } from './errors';
import { compileMappings, toValues, type CompiledMapping, type MappedValues } from './mapping';
import { MatchIndex, type MatchKeys, type MatchResult } from './matching';
import { GONE as FATE_GONE, Memberships, UNTOUCHED, type MembershipView } from './memberships';
import { packValues, unpackValues } from './packed-values';
import { problems } from './problems';
import { Scope } from './scoping';
import { emptySituationCounts, resolveActions, type Situation, type SituationActions } from './situations';
import { StringArena } from './string-arena';
import { StringIndex } from './string-index';
import { checkThresholds } from './thresholds';
import { UniqueValues } from './unique-values';
import type { Attrs, IdentityRecord, NewLink, Orphan, PlannedChange, PlannedOperation, PlanningJob, PlanProblem, PlanResult } from './types';

export interface PlannerOptions {
  /** Clock and randomness for Now(), Guid() and RandomString(); fix them for repeatable plans. */
  context?: Omit<EvaluationContext, 'isUnique'>;
  /**
   * Link (membership) counts for the link guards. The planner counts them itself from the job's
   * membership rules (member adds, member removes, no update; existing: the members the job
   * manages in the groups read); a count given here wins over its own, field by field.
   */
  linkCounts?: { existing?: number; creates?: number; updates?: number; deletes?: number };
  /**
   * An incremental run: the source snapshot holds only the objects changed since the last run,
   * not every object, while the destination snapshot and the links are complete. Then:
   *
   * - a destination object no source object of the delta claims (by link or by matching) is left
   *   alone: not deleted nor disabled, not counted as source_deleted, not an orphan. An object
   *   that left the job's scope is in the delta, so it is still deprovisioned;
   * - an empty delta is normal (nothing changed): no empty_source guard, and a plan with no operation;
   * - checks.references resolve against the keys in the delta and the source keys of known links
   *   (addLink), since the referenced object may not have changed;
   * - everything else (matching, situations, updates, creates, unique keys within the delta,
   *   percentage thresholds of the destination count) is as in a complete run.
   *
   * Default false: the source snapshot is complete, and what it lacks is gone.
   *
   * @example
   *   const planner = new Planner(job, { partial: true });
   */
  partial?: boolean;
  /**
   * The caller streams the destination snapshot a second time, with compareDestination(), after
   * every source object and link and before finish(). The first pass then keeps only each
   * destination object's DN, anchor and match keys, not the attributes the job reads: the second
   * pass compares each object as it goes by and keeps only what changes. That saves the memory of
   * those attributes (some 150 MB for a million objects with ten attributes), for the price of
   * reading the destination snapshot twice; use it for large destinations.
   *
   * Default false: the planner keeps the attributes it reads of every destination object (packed,
   * outside the JavaScript heap), and no second pass is needed.
   *
   * @example
   *   const planner = new Planner(job, { secondDestinationPass: true });
   *   for (const d of readDestination()) planner.addDestination(d);
   *   for (const s of readSource()) planner.addSource(s);
   *   for (const l of readLinks()) planner.addLink(l.sourceKey, l.anchor);
   *   for (const d of readDestination()) planner.compareDestination(d);
   *   const result = planner.finish();
   */
  secondDestinationPass?: boolean;
}

/** A destination object's attributes the job reads, by lower-case name. */
type ReadAttrs = Map<string, string[]>;

type Operation = Omit<PlannedOperation, 'index' | 'phase'>;

type Ambiguous = Extract<MatchResult, { kind: 'ambiguous' }>;

/** Destination flags, one byte per object once the input is complete. */
const KEPT = 1;
/** Claimed by a source object, in scope or not (so not an orphan). */
const CLAIMED = 2;
/** A candidate of an in-scope ambiguous match: kept, and not source_deleted. */
const CANDIDATE = 4;
/** Its attributes have been seen (second pass) and its update or deprovisioning planned. */
const DONE = 8;
/** Deleted or disabled by this plan (or already disabled, and deprovisioned so): no group keeps it. */
const GONE = 16;
/** Deleted by this plan: no reference may name it. */
const DELETED = 32;

/** Membership fate of a source object: planned at the DN its destination object has. */
const AT_DN = 1;
/** Planned at a new DN: created, or renamed. */
const MOVED = 2;

/** What the plan of a source object with reference mappings is, until finish() sets its references. */
const R_CREATE = 1;
const R_UPDATE = 2;
const R_RENAME = 3;
const R_UNCHANGED = 4;

/** When each kind of operation runs (PlannedOperation.phase). */
const PHASE = { rename: 0, create: 1, groupCreate: 2, update: 3, disable: 4, delete: 5 } as const;

const NO_VALUES: string[] = [];
const SAME_AS_KEY = 0;

/**
 * Computes the plan for one run of one job from its two snapshots, streamed in: destination
 * objects (already limited to the destination scope) with addDestination, source objects with
 * addSource, known links with addLink, in any order; then finish(). Each source/destination pair
 * lands in one situation (linked, unlinked_match, unmatched, source_deleted, ambiguous) and gets
 * the job's action for it. Pure: it reads and writes nothing.
 *
 * Memory: objects are held column by column in arrays indexed by position, not as one object
 * each. A source object costs its key, its match key (nothing more when it is the key) and its
 * mapped values packed in one string; a destination object its DN, its anchor and its match keys,
 * plus (unless the caller makes a second pass over the destination,
 * PlannerOptions.secondDestinationPass) the attributes the job reads. DNs, anchors and packed values
 * live outside the JavaScript heap (StringArena). With the second pass, updates and deprovisioning
 * are planned as each destination object goes by, and only the operations are kept: a million
 * objects against a million plan in under 1 GB (tools/bench/plan.bench.ts).
 *
 * Group memberships (PlanningJob.memberships) are planned in finish(), once every object's fate is
 * known: the groups come with addGroup, each source object keeps the ids of its group values, and
 * the membership changes are derived from the DN each planned object has after this plan (so a new
 * user joins a new group in one run). Operations carry a phase the applier runs them by.
 *
 * @example
 *   const planner = new Planner(job);
 *   for (const d of destinationObjects) planner.addDestination(d);
 *   for (const s of sourceObjects) planner.addSource(s);
 *   for (const l of knownLinks) planner.addLink(l.sourceKey, l.anchor);
 *   for (const g of groups) planner.addGroup(g); // with membership rules
 *   const { operations, summary, violations, problems, situations, orphans, newLinks, blocking } = planner.finish();
 */
export class Planner {
  private readonly mappings: CompiledMapping[];
  private readonly template: DnTemplate;
  private readonly index: MatchIndex;
  private readonly context: Omit<EvaluationContext, 'isUnique'>;
  /** Lower-case names of the destination attributes the job reads; the rest is dropped on arrival. */
  private readonly readAttributes = new Set<string>();
  /** What addDestination needs of them: all without a second pass, else only the match and SelectUniqueValue attributes. */
  private readonly firstPassAttributes = new Set<string>();
  /** Attribute name as written in a record → its lower-case name, or '' when the job does not read it. */
  private readonly attributeNames = new Map<string, string>();
  /** The same for the first pass. */
  private readonly firstPassNames = new Map<string, string>();
  private readonly disable?: { attribute: string; key: string; value: string };
  private readonly scope: Scope;
  private readonly actions: SituationActions;
  private readonly checks: ResolvedChecks;
  private readonly partial: boolean;
  private readonly secondPass: boolean;
  /**
   * A SelectUniqueValue mapping is updated, not only set on create: updates then claim values in
   * source key order, interleaved with the creates, so they wait for finish() and the destination
   * objects' attributes are kept until then, even with a second pass.
   */
  private readonly orderedUpdates: boolean;
  private readonly unique?: UniqueValues;
  /** The job's membership rules, the source values they read and the groups (PlanningJob.memberships). */
  private readonly memberships?: Memberships;
  /** Per source object, with memberships: AT_DN, MOVED, or 0 (no plan: its groups are left as they are). */
  private memberFate = new Uint8Array(0);
  /** Per source object planned MOVED, its new DN; set in finish(). */
  private newDnAt: (string | undefined)[] = [];
  /** Positions of the reference mappings (PlanningJob.mappings[i].reference); empty for most jobs. */
  private readonly referenceMappings: number[];
  /** Per source object, with reference mappings: R_CREATE, R_UPDATE, R_RENAME, R_UNCHANGED, or 0 (no plan). */
  private referenceState = new Uint8Array(0);
  /** The create, update or rename of such an object, whose reference changes finish() settles. */
  private readonly referenceOps = new Map<number, Operation>();
  /** Per updated, renamed or unchanged such object, the destination's values of the reference attributes, packed like mapped values. */
  private referenceBefore: (number | MappedValues[] | undefined)[] = [];

  /** DNs, anchors and packed mapped values, outside the JavaScript heap. */
  private readonly strings = new StringArena();
  // Destination objects, by position: the n-th distinct DN read. DN and anchor are in `strings`.
  private readonly dnAt: number[] = [];
  /** -1 for no anchor. */
  private readonly anchorAt: number[] = [];
  /**
   * Read attributes per destination object, packed like mapped values (in the order of
   * `attributeOrder`): all of them without a second pass, else only those the second pass keeps
   * for orderedUpdates.
   */
  private readonly attrs: (number | MappedValues[] | undefined)[] = [];
  private readonly attributeOrder: string[];
  private readonly byDn = new StringIndex((d) => normalizeDn(this.dnOf(d)));
  /** Anchors are immutable and unique in a directory; the first holder wins if a snapshot says otherwise. */
  private readonly byAnchor = new StringIndex((d) => this.anchorOf(d));

  // Source objects, by position in the source snapshot (row - 1).
  private readonly key: string[] = [];
  private readonly inScope: boolean[] = [];
  /** SAME_AS_KEY: the key in lower case, as when the job matches on its key column (no copy kept). */
  private readonly matchKeys: (MatchKeys | typeof SAME_AS_KEY)[] = [];
  /**
   * Mapped values, packed (a number: where they are in `strings`); undefined when the object
   * cannot be planned (out of scope, no key, a duplicate key, a mapping failed, a check).
   */
  private readonly values: (number | MappedValues[] | undefined)[] = [];
  /** Only the attributes SelectUniqueValue mappings read: those are evaluated when planning, in source key order. */
  private readonly deferred: (Attrs | undefined)[] = [];
  /** Values of the columns checks.references names, checked once every key is known. */
  private readonly references: ([string, string[]][] | undefined)[] = [];
  /** Key identity → position of the first in-scope source object with that key. */
  private readonly sourceIds = new Map<string, number>();

  /** Key identity → the destination object its link names (position), or the anchor when no destination object held it yet. */
  private readonly links = new Map<string, number | string>();
  /** Key identity → every anchor it was linked to, when there are several: a conflict, and the link is not used. */
  private readonly linkConflicts = new Map<string, { key: string; anchors: string[] }>();
  /** Key identity → the key as first given to addLink, where the two differ (keyCase 'insensitive'). */
  private readonly linkKeys = new Map<string, string>();
  /**
   * Partial runs: key identity → the DN its link recorded ('' if none), for every source key the
   * source reported deleted (addDeletedSource).
   */
  private readonly deletedSources = new Map<string, string>();
  /** How many of them named a destination object, set once the input is complete. */
  private sourceDeletions = 0;

  private readonly problems: PlanProblem[] = [];
  private sourceCount = 0;
  private inScopeCount = 0;
  private destinationCount = 0;
  private finished = false;

  // Set once the input is complete (prepare()).
  private prepared = false;
  /** Source positions in source key order, then row: the same snapshots always give the same plan. */
  private order: number[] = [];
  private flags = new Uint8Array(0);
  /** Per destination object, the first in-scope source object that claims it, or -1. */
  private claimant = new Int32Array(0);
  /** Further claimants, for the rare destination object claimed several times. */
  private readonly moreClaimants = new Map<number, number[]>();
  /** Per source object, the destination object it is linked to or matched, or -1. */
  private placed = new Int32Array(0);
  /** Per in-scope source object, its situation. */
  private situation: (Situation | undefined)[] = [];
  private readonly ambiguous = new Map<number, Ambiguous>();
  /** Per destination object, the source object whose update of it waits for its attributes, or -1. */
  private updateOf = new Int32Array(0);
  /** How destination objects no source object keeps are deprovisioned; undefined: they are left alone. */
  private deprovision?: 'delete' | 'disable' | 'report';
  private situations = emptySituationCounts();
  private readonly creates = new Map<string, { op: Operation; sourceKey: string }[]>();
  private updates: Operation[] = [];
  private readonly renames: Operation[] = [];
  private readonly deletes: Operation[] = [];
  private readonly disables: Operation[] = [];
  private readonly newLinks: NewLink[] = [];
  private unchanged = 0;
  /** Second pass: the position the next record most likely has (the snapshot read in the same order). */
  private nextCompared = 0;
  /** Second pass: how many records came so far. */
  private compared = 0;
  /** Position in the snapshot of each record whose DN an earlier record had → that DN, normalised (rare). */
  private readonly repeatedRecords = new Map<number, string>();

  constructor(
    private readonly job: PlanningJob,
    private readonly options: PlannerOptions = {},
  ) {
    this.context = options.context ?? {};
    this.partial = options.partial ?? false;
    this.secondPass = options.secondDestinationPass ?? false;
    this.mappings = compileMappings(job.mappings);
    this.scope = new Scope(job.scoping);
    this.actions = resolveActions(job);
    this.checks = resolveChecks(job.checks, this.mappings.map((m) => m.target));
    this.template = new DnTemplate(job.dnTemplate, job.baseDn, this.mappings.map((m) => m.target));
    this.referenceMappings = this.mappings.flatMap((m, i) => (m.reference ? [i] : []));
    for (const name of this.template.attributes) {
      const m = this.mappings.find((x) => x.target === name);
      // A DN cannot wait for the DN of another object, which may itself be created in this plan.
      if (m?.reference) throw new PlanningError('PLAN.INVALID_JOB', `the DN template uses {${name}}, a reference mapping; a DN needs the object's own values`, { field: 'dnTemplate', placeholder: name });
    }
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
    for (const a of this.index.attributes) this.readAttributes.add(a);
    if (this.mappings.some((m) => m.expression.selectsUniqueValue)) this.unique = new UniqueValues(this.mappings);
    if (!this.secondPass) this.readAttributes.forEach((a) => this.firstPassAttributes.add(a));
    else {
      this.index.attributes.forEach((a) => this.firstPassAttributes.add(a));
      this.mappings.filter((m) => m.expression.selectsUniqueValue).forEach((m) => this.firstPassAttributes.add(m.key));
    }
    this.orderedUpdates = this.mappings.some((m) => m.expression.selectsUniqueValue && !m.onCreateOnly);
    this.attributeOrder = [...this.readAttributes];
    if (job.memberships?.length) this.memberships = new Memberships(job.memberships, job.baseDn, this.strings);
  }

  addDestination(rec: IdentityRecord): void {
    this.assertOpen();
    this.destinationCount++;
    const normalized = normalizeDn(rec.key);
    if (this.byDn.get(normalized) >= 0) {
      this.problems.push(problems.duplicateDestination(rec.key));
      if (this.secondPass) this.repeatedRecords.set(this.destinationCount - 1, normalized);
      return;
    }
    const d = this.dnAt.length;
    const attrs = this.readAttrs(rec, this.firstPassAttributes, this.firstPassNames);
    const anchor = rec.anchor ?? '';
    this.dnAt.push(this.strings.add(rec.key));
    this.anchorAt.push(anchor ? this.strings.add(anchor) : -1);
    this.byDn.set(normalized, d);
    if (anchor && this.byAnchor.get(anchor) < 0) this.byAnchor.set(anchor, d);
    this.index.add(d, attrs);
    this.unique?.addDestination(attrs);
    if (!this.secondPass) this.keepAttrs(d, attrs);
  }

  /**
   * An existing group of the job's membership rules (PlanningJob.memberships): key = its DN, and
   * its member attribute (`member` unless the rule says otherwise). Any time before finish() or
   * the second pass, like addDestination. A group whose DN no rule's template gives is not kept,
   * nor is any group when the job has no membership rule; member DNs are kept normalised, in one
   * string per group outside the JavaScript heap.
   *
   * @example
   *   planner.addGroup({ key: 'cn=Sales,ou=groups,dc=example,dc=org', anchor: '', attributes: { member: ['uid=bo.li,ou=people,dc=example,dc=org'] } });
   */
  addGroup(rec: IdentityRecord): void {
    this.assertOpen();
    const problem = this.memberships?.addGroup(rec);
    if (problem) this.problems.push(problem);
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
    const identity = this.identityOf(key);
    const conflict = this.linkConflicts.get(identity);
    if (conflict) {
      if (!conflict.anchors.includes(anchor)) conflict.anchors.push(anchor);
      return;
    }
    const known = this.links.get(identity);
    if (known === undefined) {
      // Destination objects usually come first: then the link holds a position, not a second copy of the anchor.
      const d = this.byAnchor.get(anchor);
      this.links.set(identity, d >= 0 ? d : anchor);
      if (key !== identity) this.linkKeys.set(identity, key);
      return;
    }
    const first = typeof known === 'number' ? this.anchorOf(known) : known;
    if (first !== anchor) this.linkConflicts.set(identity, { key: this.linkKeys.get(identity) ?? identity, anchors: [first, anchor] });
  }

  /**
   * A partial run (PlannerOptions.partial): the source object with this key was deleted, as the
   * source reported (an incremental read's deletions, mapped from the source's anchors to keys).
   * The destination object linked to the key (addLink, by its anchor) is then source_deleted and
   * gets the job's deprovisioning action, memberships and guards included, as in a complete run.
   * `dn`, the DN the link recorded, finds the object only when the link has no anchor yet (an
   * object a plan created, which no run has read back since), and only if no other key's link
   * names that object. A key also in the delta (deleted, then created again) is not deleted; a
   * key with no link, or whose object is gone already, is nothing to do. Any time before finish()
   * or the second pass, like addLink.
   *
   * A complete run finds deleted source objects by their absence: there this throws
   * PLAN.INVALID_INPUT.
   *
   * @example
   *   const planner = new Planner(job, { partial: true });
   *   planner.addLink('E1', '8f14e45f-ceea-4b67-a1c2-0a8f1b2c3d4e');
   *   planner.addDeletedSource('E1');
   */
  addDeletedSource(sourceKey: string, dn = ''): void {
    this.assertOpen();
    if (!this.partial) {
      throw new PlanningError('PLAN.INVALID_INPUT', 'addDeletedSource() is for a partial run; a complete run finds deleted source objects by their absence', { sourceKey });
    }
    const key = canonicalKey(sourceKey);
    if (!key) return;
    const identity = this.identityOf(key);
    if (!this.deletedSources.get(identity)) this.deletedSources.set(identity, dn);
  }

  /** Maps the object at once and keeps only the mapped values and its match keys. */
  addSource(rec: IdentityRecord): number {
    this.assertOpen();
    const row = ++this.sourceCount;
    const s = row - 1;
    const key = sourceKeyOf(rec, this.job.sourceKey);
    this.key.push(key);
    const matchKeys = this.index.keysOf((r) => valuesOf(rec.attributes, r.sourceAttribute));
    this.matchKeys.push(matchKeys !== '' && matchKeys === key.toLowerCase() ? SAME_AS_KEY : matchKeys);
    const inScope = this.scope.includes(rec.attributes);
    this.memberships?.addSource(inScope ? rec.attributes : undefined);
    if (!inScope) {
      // As if the object were not there: not mapped (its data cannot fail a mapping) and no problem
      // about its key, so a terminated row left in the export never blocks its rehired successor.
      this.inScope.push(false);
      this.values.push(undefined);
      return s;
    }
    this.inScope.push(true);
    this.inScopeCount++;
    if (!key) {
      this.problems.push(problems.missingKey(this.job.sourceKey, row));
      this.values.push(undefined);
      return s;
    }
    const identity = this.identityOf(key);
    const earlier = this.sourceIds.get(identity);
    if (earlier !== undefined) {
      this.problems.push(problems.duplicateKey(this.key[earlier], earlier + 1, key, row));
      this.values[earlier] = undefined;
      this.values.push(undefined);
      return s;
    }
    this.sourceIds.set(identity, s);
    this.values.push(this.map(s, key, rec.attributes));
    if (this.checks.references.length) this.references[s] = this.checks.references.map((a) => [a, valuesOf(rec.attributes, a)]);
    return s;
  }

  /**
   * After finish(): whether the source object at `position` (what addSource returned) was planned
   * as itself: in scope, with a key no other object of the snapshot has, and no problem. Only
   * such an object speaks for its key — an out-of-scope row left in the export beside its rehired
   * successor, or one of two rows sharing a key, does not.
   */
  isPlannedSource(position: number): boolean {
    return this.finished && this.inScope[position] === true && this.values[position] !== undefined;
  }

  /**
   * The second pass over the destination snapshot (PlannerOptions.secondDestinationPass): the
   * same records as addDestination received, after every source object and link, best in the same
   * order (another order works, found by DN, except for a snapshot that holds a DN twice: then
   * finish() may refuse). Each object is compared as it goes by: its update, or its deletion or
   * disabling, is planned, and only that is kept. A record whose DN the first pass did not see,
   * or the repeat of a DN, is ignored, as in the first pass.
   *
   * @example
   *   for await (const line of blobs.read(destination)) planner.compareDestination(JSON.parse(line));
   */
  compareDestination(rec: IdentityRecord): void {
    this.assertNotFinished();
    if (!this.secondPass) {
      throw new PlanningError('PLAN.NO_SECOND_PASS', 'compareDestination() needs the option secondDestinationPass; without it the first pass keeps what the plan needs');
    }
    this.prepare();
    // The first pass kept the first of the records with one DN: so does the second.
    const repeated = this.repeatedRecords.get(this.compared++);
    if (repeated !== undefined && repeated === normalizeDn(rec.key)) return;
    // Same snapshot, same order: the record is the next one, and no DN needs normalising.
    let d = this.nextCompared;
    if (d >= this.dnAt.length || this.dnOf(d) !== rec.key) d = this.byDn.get(normalizeDn(rec.key));
    // In another order, the anchor tells the record the first pass kept from a repeat of its DN.
    if (d < 0 || this.flags[d] & DONE || (rec.anchor ?? '') !== this.anchorOf(d)) return;
    this.nextCompared = d + 1;
    const attrs = this.readAttrs(rec, this.readAttributes, this.attributeNames);
    if (this.orderedUpdates) {
      this.keepAttrs(d, attrs);
      this.flags[d] |= DONE;
    } else this.settle(d, attrs);
  }

  finish(): PlanResult {
    this.assertNotFinished();
    this.prepare();
    const missing = this.secondPass ? this.flags.reduce((n, f) => (f & DONE ? n : n + 1), 0) : 0;
    if (missing > 0) {
      throw new PlanningError('PLAN.SECOND_PASS_INCOMPLETE', `${missing} destination objects of the first pass were not given to compareDestination(), so their updates and deletes are unknown`, {
        missing: String(missing),
      });
    }
    this.finished = true;
    if (this.orderedUpdates) {
      this.planSources(true);
      for (let d = 0; d < this.dnAt.length; d++) this.settle(d, this.keptAttrs(d));
    } else if (!this.secondPass) {
      for (let d = 0; d < this.dnAt.length; d++) this.settle(d, this.keptAttrs(d));
    }

    let createOps: Operation[] = [];
    for (const group of this.creates.values()) {
      if (group.length === 1) createOps.push(group[0].op);
      else for (const other of group.slice(1)) this.problems.push(problems.duplicateDn(group[0].op.dn, group[0].sourceKey, other.sourceKey));
    }
    let renameOps = this.renamesWithoutConflict();
    let referenceUpdates: Operation[] = [];
    if (this.referenceMappings.length) ({ createOps, renameOps, referenceUpdates } = this.settleReferences(createOps, renameOps));
    const groups = this.memberships?.plan(this.membershipView(createOps, renameOps));
    if (groups) this.problems.push(...groups.problems);
    // Renames first, so that creates, group members and references name objects by the DN they have by then; groups
    // after the objects that become their members.
    const phases: [number, Operation[]][] = [
      [PHASE.rename, byDn(renameOps)],
      [PHASE.create, byDn(createOps)],
      [PHASE.groupCreate, byDn(groups?.creates ?? [])],
      [PHASE.update, byDn([...this.updates, ...referenceUpdates, ...(groups?.updates ?? [])])],
      [PHASE.disable, byDn(this.disables)],
      [PHASE.delete, byDn(this.deletes, true)],
    ];
    const operations: PlannedOperation[] = [];
    for (const [phase, ops] of phases) for (const op of ops) operations.push({ index: operations.length, phase, ...op });
    const summary = {
      sourceCount: this.sourceCount,
      destinationCount: this.destinationCount,
      creates: createOps.length,
      updates: this.updates.length,
      deletes: this.deletes.length,
      disables: this.disables.length,
      renames: renameOps.length,
      unchanged: this.unchanged,
      groupCreates: groups?.creates.length ?? 0,
      memberAdds: groups?.memberAdds ?? 0,
      memberRemoves: groups?.memberRemoves ?? 0,
    };
    const links = this.options.linkCounts ?? {};
    const violations = checkThresholds(
      {
        ...summary,
        // A group created is an entry written, as an object is; its members are links.
        creates: summary.creates + summary.groupCreates,
        updates: summary.updates + summary.renames,
        inScopeCount: this.scope.isEmpty || this.partial ? undefined : this.inScopeCount,
        linkCount: links.existing ?? groups?.existingLinks ?? 0,
        linkCreates: links.creates ?? summary.memberAdds,
        linkUpdates: links.updates ?? 0,
        linkDeletes: links.deletes ?? summary.memberRemoves,
      },
      // An empty delta is a run where nothing changed, not a broken export.
      this.partial ? { ...this.job.thresholds, allowEmptySource: true } : this.job.thresholds,
    );
    const sortedProblems = this.problems.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
    const orphans: Orphan[] = [];
    // A partial run cannot tell an orphan from an object whose source did not change.
    if (!this.partial) for (let d = 0; d < this.dnAt.length; d++) if (!(this.flags[d] & CLAIMED)) orphans.push({ dn: this.dnOf(d), anchor: this.anchorOf(d) });
    const newLinks = this.newLinks.sort((a, b) => (a.sourceKey < b.sourceKey ? -1 : a.sourceKey > b.sourceKey ? 1 : 0));
    return {
      operations,
      summary,
      violations,
      problems: sortedProblems,
      situations: this.situations,
      orphans: byDn(orphans),
      newLinks,
      sourceDeletions: this.sourceDeletions,
      blocking: sortedProblems.length > 0 && this.checks.onError === 'block',
    };
  }

  /**
   * What the membership rules need of this plan, once its creates and renames are final: the DN
   * each planned source object has after it, and what becomes of each destination object.
   */
  private membershipView(createOps: Operation[], renameOps: Operation[]): MembershipView {
    const fate = this.memberFate;
    const newDnAt = (this.newDnAt = new Array<string | undefined>(this.key.length));
    const sourceOf = (op: Operation) => this.sourceOf(op);
    for (const op of createOps) {
      const s = sourceOf(op);
      fate[s] = MOVED;
      newDnAt[s] = op.dn;
    }
    const renamedTo = new Map<string, number>();
    for (const op of renameOps) {
      const s = sourceOf(op);
      fate[s] = MOVED;
      newDnAt[s] = op.newDn;
      renamedTo.set(normalizeDn(op.newDn!), s);
    }
    return {
      order: this.order,
      destinationCount: this.dnAt.length,
      memberDn: (s) => (fate[s] === AT_DN ? this.dnOf(this.placed[s]) : fate[s] === MOVED ? newDnAt[s] : undefined),
      moved: (s) => fate[s] === MOVED,
      placed: (s) => this.placed[s],
      sourceKey: (s) => this.key[s],
      destination: (normalized) => this.byDn.get(normalized),
      newDnOwner: (normalized) => {
        const created = this.creates.get(normalized);
        if (created?.length === 1) return sourceOf(created[0].op);
        return renamedTo.get(normalized) ?? -1;
      },
      destinationFate: (d) => {
        if (this.flags[d] & GONE) return FATE_GONE;
        const s = this.claimant[d];
        return s >= 0 && fate[s] !== 0 && !this.moreClaimants.has(d) ? s : UNTOUCHED;
      },
      dnOf: (d) => this.dnOf(d),
    };
  }

  /** The source object of a create or rename. */
  private sourceOf(op: Operation): number {
    return this.sourceIds.get(this.identityOf(op.sourceKey))!;
  }

  /**
   * Reference mappings (PlanningJob.mappings[i].reference), once every create and rename is final:
   * each source key becomes the DN its object has after this plan. An object with a key that has
   * none is left out of the plan (PLAN.UNRESOLVED_REFERENCE); so, in turn, is an object whose
   * reference was a create left out. Then the reference values are set: in a create, unless an
   * object it names is created in this plan too (itself included), which a directory checking
   * references would refuse: then a phase-3 update of the new object sets them; in an update, or a
   * rename when every object it names exists before phase 0 (else a phase-3 update at the new DN),
   * where the DNs differ from the destination's, compared normalised. Returns the creates and
   * renames still planned, and those phase-3 updates (part of their create or rename, not counted
   * as updates).
   */
  private settleReferences(createOps: Operation[], renameOps: Operation[]): { createOps: Operation[]; renameOps: Operation[]; referenceUpdates: Operation[] } {
    const state = this.referenceState;
    const created = new Map<number, Operation>(createOps.map((op) => [this.sourceOf(op), op]));
    const renamed = new Map<number, Operation>(renameOps.map((op) => [this.sourceOf(op), op]));
    /** Where the object with this key identity is after the plan: its create or rename, its destination object, or undefined for nowhere. */
    const whereIs = (identity: string): Operation | number | undefined => {
      const s = this.sourceIds.get(identity);
      if (s !== undefined) {
        const op = created.get(s) ?? renamed.get(s);
        if (op) return op;
        return this.placed[s] >= 0 ? this.placed[s] : undefined;
      }
      // Not in this run, or out of its scope: a known link still names its object (partial runs, outOfScopeAction 'ignore').
      const link = this.linkConflicts.has(identity) ? undefined : this.links.get(identity);
      const d = link === undefined ? -1 : typeof link === 'number' ? link : this.byAnchor.get(link);
      if (d < 0 || this.flags[d] & DELETED) return undefined;
      const claimant = this.claimant[d];
      return (claimant >= 0 && !this.moreClaimants.has(d) && renamed.get(claimant)) || d;
    };
    /** The keys of reference mapping i that this plan sets; undefined when it sets none (IGNORE_FLOW, onCreateOnly on an update). */
    const keysOf = (s: number, values: MappedValues[], i: number): string[] | undefined => {
      const keys = values[i];
      return keys === IGNORE_FLOW || (this.mappings[i].onCreateOnly && state[s] !== R_CREATE) ? undefined : keys;
    };
    /** The first key of a reference of this object that is nowhere after the plan, with its target; undefined when all are somewhere. */
    const unresolved = (s: number): { target: string; value: string } | undefined => {
      const values = this.valuesOf(s);
      for (const i of this.referenceMappings) {
        for (const key of keysOf(s, values, i) ?? NO_VALUES) {
          const identity = keyIdentity(key, this.checks.keyCase);
          if (identity && whereIs(identity) === undefined) return { target: this.mappings[i].target, value: key };
        }
      }
      return undefined;
    };

    const droppedOps = new Set<Operation>();
    const droppedLinks = new Set<string>();
    let pending = this.order.filter((s) => (state[s] === R_CREATE ? created.has(s) : state[s] === R_RENAME ? renamed.has(s) : state[s] !== 0));
    // Until nothing more is left out: a create left out is nowhere, a rename left out keeps its DN.
    for (let again = true; again; ) {
      again = false;
      const next: number[] = [];
      for (const s of pending) {
        const missing = unresolved(s);
        if (!missing) {
          next.push(s);
          continue;
        }
        this.problems.push(problems.referenceUnresolved(this.key[s], s + 1, missing.target, missing.value));
        const op = this.referenceOps.get(s);
        if (state[s] === R_CREATE) {
          created.delete(s);
          this.creates.delete(normalizeDn(op!.dn));
          again = true;
        } else if (state[s] === R_RENAME) {
          renamed.delete(s);
          again = true;
        } else if (state[s] === R_UPDATE) droppedOps.add(op!);
        else this.unchanged--;
        if (this.memberships) this.memberFate[s] = 0;
        if (this.situation[s] === 'unlinked_match') droppedLinks.add(this.key[s]);
      }
      pending = next;
    }
    if (droppedOps.size) this.updates = this.updates.filter((op) => !droppedOps.has(op));
    if (droppedLinks.size) this.newLinks.splice(0, this.newLinks.length, ...this.newLinks.filter((l) => !droppedLinks.has(l.sourceKey)));

    const position = new Map(this.mappings.map((m, i) => [m.target, i]));
    const referenceUpdates: Operation[] = [];
    for (const s of pending) {
      const values = this.valuesOf(s);
      const rename = state[s] === R_RENAME ? renamed.get(s) : undefined;
      /** The DNs of reference mapping i, distinct once normalised; `early`: one of them is new in this plan (created, or another object's new DN). */
      let early = false;
      const dnsOf = (i: number): string[] | undefined => {
        const keys = keysOf(s, values, i);
        if (keys === undefined) return undefined;
        early = false;
        const dns: string[] = [];
        for (const key of keys) {
          const identity = keyIdentity(key, this.checks.keyCase);
          if (!identity) continue;
          const at = whereIs(identity)!;
          if (typeof at !== 'number' && (at.kind === 'create' || (rename && at !== rename))) early = true;
          const dn = typeof at === 'number' ? this.dnOf(at) : at.kind === 'create' ? at.dn : at.newDn!;
          if (dns.length === 0 || !dns.some((x) => normalizeDn(x) === normalizeDn(dn))) dns.push(dn);
        }
        return dns;
      };
      const later: PlannedChange[] = [];
      if (state[s] === R_CREATE) {
        const op = created.get(s)!;
        for (const i of this.referenceMappings) {
          const m = this.mappings[i];
          const at = op.changes.findIndex((c) => c.attribute === m.target);
          const dns = at < 0 ? undefined : dnsOf(i);
          if (dns === undefined) continue;
          // A directory that checks references refuses a DN that does not exist yet: it comes in phase 3.
          if (dns.length === 0 || early) op.changes.splice(at, 1);
          if (dns.length === 0) continue;
          if (early) later.push(change(this.mappings[i], [], dns));
          else op.changes[at] = change(m, [], dns);
        }
        if (later.length) referenceUpdates.push({ kind: 'update', dn: op.dn, sourceKey: op.sourceKey, objectClasses: [], changes: later });
        continue;
      }
      const kept = this.referenceBefore[s];
      const before = kept === undefined ? undefined : unpackValues(typeof kept === 'number' ? this.strings.get(kept) : kept, this.referenceMappings.length);
      const changes: PlannedChange[] = [];
      this.referenceMappings.forEach((i, k) => {
        const dns = dnsOf(i);
        if (dns === undefined) return;
        const planned = referenceChange(this.mappings[i], (before?.[k] as string[] | undefined) ?? NO_VALUES, dns);
        // A rename runs in phase 0 with its changes: an object it names must exist by then.
        if (planned) (rename && early ? later : changes).push(planned);
      });
      if (state[s] === R_UNCHANGED) {
        if (changes.length) {
          this.unchanged--;
          this.updates.push({ kind: 'update', dn: this.dnOf(this.placed[s]), sourceKey: this.key[s], objectClasses: [], changes });
        }
        continue;
      }
      const op = rename ?? this.referenceOps.get(s)!;
      for (const c of changes) {
        // In mapping order, as planUpdate lists changes; a change no mapping owns (enabling) stays last.
        const i = position.get(c.attribute)!;
        const at = op.changes.findIndex((x) => (position.get(x.attribute) ?? Infinity) > i);
        op.changes.splice(at < 0 ? op.changes.length : at, 0, c);
      }
      if (later.length) referenceUpdates.push({ kind: 'update', dn: rename!.newDn!, sourceKey: this.key[s], objectClasses: [], changes: later });
    }
    return { createOps: [...created.values()], renameOps: [...renamed.values()], referenceUpdates };
  }

  /**
   * The renames whose new DN nothing else in the plan wants. Two renames to one DN, or a rename to
   * a DN a create takes, are problems, and those renames are left out (the create stays, as the
   * first of two creates does).
   */
  private renamesWithoutConflict(): Operation[] {
    const byTarget = new Map<string, Operation[]>();
    for (const r of this.renames) {
      const target = normalizeDn(r.newDn!);
      const group = byTarget.get(target);
      if (group) group.push(r);
      else byTarget.set(target, [r]);
    }
    const out: Operation[] = [];
    for (const [target, group] of byTarget) {
      const create = this.creates.get(target);
      if (group.length === 1 && !create) {
        out.push(group[0]);
        continue;
      }
      const other = create ? `source object ${create[0].sourceKey} would be created as` : 'another renamed object would also get';
      for (const r of group) this.problems.push(problems.renameTaken(r.sourceKey, r.dn, r.newDn!, other));
    }
    return out;
  }

  /** The attributes of a record in `wanted` (lower-case names), by lower-case name; `names` caches the lookups. */
  private readAttrs(rec: IdentityRecord, wanted: Set<string>, names: Map<string, string>): ReadAttrs {
    const attrs: ReadAttrs = new Map();
    for (const name in rec.attributes) {
      let key = names.get(name);
      if (key === undefined) {
        const lower = name.toLowerCase();
        key = wanted.has(lower) ? lower : '';
        // Names repeat from record to record; a snapshot with endless distinct names is not cached past a bound.
        if (names.size < 10_000) names.set(name, key);
      }
      if (!key) continue;
      const values = rec.attributes[name];
      if (values?.length) attrs.set(key, values);
    }
    return attrs;
  }

  private keepAttrs(d: number, attrs: ReadAttrs): void {
    const packed = packValues(this.attributeOrder.map((a) => attrs.get(a) ?? NO_VALUES));
    this.attrs[d] = typeof packed === 'string' ? this.strings.add(packed) : packed;
  }

  private keptAttrs(d: number): ReadAttrs {
    const kept = this.attrs[d]!;
    const values = unpackValues(typeof kept === 'number' ? this.strings.get(kept) : kept, this.attributeOrder.length);
    const attrs: ReadAttrs = new Map();
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== IGNORE_FLOW && v.length) attrs.set(this.attributeOrder[i], v);
    }
    return attrs;
  }

  private dnOf(d: number): string {
    return this.strings.get(this.dnAt[d]);
  }

  private anchorOf(d: number): string {
    const at = this.anchorAt[d];
    return at < 0 ? '' : this.strings.get(at);
  }

  private identityOf(key: string): string {
    return this.checks.keyCase === 'insensitive' ? key.toLowerCase() : key;
  }

  private map(s: number, key: string, attributes: Attrs): number | MappedValues[] | undefined {
    const values: MappedValues[] = new Array<MappedValues>(this.mappings.length);
    for (let i = 0; i < this.mappings.length; i++) {
      const m = this.mappings[i];
      if (m.expression.selectsUniqueValue) {
        // Uniqueness depends on every other object: decided when planning, in source key order.
        const deferred = (this.deferred[s] ??= {});
        for (const name of m.expression.attributes) deferred[name] = valuesOf(attributes, name);
        values[i] = [];
        continue;
      }
      try {
        values[i] = toValues(m.expression(attributes, this.context));
      } catch (e) {
        this.problems.push(problems.evalFailed(key, m.target, m.expression.text, e as Error));
        return undefined;
      }
    }
    const packed = packValues(values);
    return typeof packed === 'string' ? this.strings.add(packed) : packed;
  }

  private valuesOf(s: number): MappedValues[] {
    const v = this.values[s]!;
    return unpackValues(typeof v === 'number' ? this.strings.get(v) : v, this.mappings.length);
  }

  /** Closes the input and places every source object; then plans what needs no destination attribute. */
  private prepare(): void {
    if (this.prepared) return;
    this.prepared = true;
    const keys = this.key;
    this.order = keys.map((_, s) => s).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
    this.checkReferences();
    this.placeAll();
    this.updateOf = new Int32Array(this.dnAt.length).fill(-1);
    if (this.memberships) this.memberFate = new Uint8Array(this.key.length);
    if (this.referenceMappings.length) this.referenceState = new Uint8Array(this.key.length);
    // An empty source is far more often a broken export than an empty organisation; a partial
    // run's delta may well be empty or hold only objects that left the scope.
    const action = this.actions.source_deleted;
    const emptySource = !this.partial && (this.sourceCount === 0 || (!this.scope.isEmpty && this.inScopeCount === 0));
    this.deprovision = action === 'ignore' || (emptySource && !this.job.thresholds.allowEmptySource) ? undefined : (action as 'delete' | 'disable' | 'report');
    if (!this.orderedUpdates) this.planSources(false);
  }

  /** checks.references: every value must be the key of a source object read (in scope or not). */
  private checkReferences(): void {
    if (this.checks.references.length === 0) return;
    const keys = new Set<string>();
    for (const k of this.key) if (k) keys.add(this.identityOf(k));
    // A partial run holds only what changed: a key with a known link is a source object too.
    const known = (identity: string) => keys.has(identity) || (this.partial && this.links.has(identity));
    for (const s of this.order) {
      const references = this.references[s];
      if (this.values[s] === undefined || !references) continue;
      for (const [attribute, values] of references) {
        const missing = values.find((v) => canonicalKey(v) !== '' && !known(keyIdentity(v, this.checks.keyCase)));
        if (missing !== undefined) {
          this.problems.push(problems.unresolvedReference(this.key[s], s + 1, attribute, missing));
          this.values[s] = undefined;
          break;
        }
      }
    }
  }

  /** The destination object a source key is linked to, if the link is known and the object still exists; else -1. */
  private linkedDestination(s: number): number {
    const key = this.key[s];
    if (!key) return -1;
    const identity = this.identityOf(key);
    if (this.linkConflicts.has(identity)) return -1;
    const link = this.links.get(identity);
    if (link === undefined) return -1;
    return typeof link === 'number' ? link : this.byAnchor.get(link);
  }

  /**
   * Places every source object in its situation, and marks the destination objects that must
   * survive this run (claimed, involved in a problem, or kept by outOfScopeAction 'ignore'),
   * the in-scope source objects claiming each, and the situation counts.
   */
  private placeAll(): void {
    for (const [, conflict] of this.linkConflicts) this.problems.push(problems.conflictingLinks(conflict.key, conflict.anchors));
    const flags = (this.flags = new Uint8Array(this.dnAt.length));
    const claimant = (this.claimant = new Int32Array(this.dnAt.length).fill(-1));
    const placed = (this.placed = new Int32Array(this.key.length).fill(-1));
    const situation = (this.situation = new Array<Situation | undefined>(this.key.length));
    const situations = this.situations;
    const ignoreOutOfScope = this.job.outOfScopeAction === 'ignore';
    for (const s of this.order) {
      let d = this.linkedDestination(s);
      let where: Situation = 'linked';
      let ambiguous: Ambiguous | undefined;
      if (d < 0) {
        const keys = this.matchKeys[s];
        const r = this.index.match(keys === SAME_AS_KEY ? this.key[s].toLowerCase() : keys);
        if (r.kind === 'matched') {
          d = r.destination;
          where = 'unlinked_match';
        } else if (r.kind === 'ambiguous') {
          ambiguous = r;
          where = 'ambiguous';
        } else where = 'unmatched';
      }
      if (!this.inScope[s]) {
        // As if the object were not there; its destination object is source_deleted, unless kept on purpose.
        const mark = ignoreOutOfScope ? CLAIMED | KEPT : CLAIMED;
        if (d >= 0) flags[d] |= mark;
        else if (ambiguous) for (const c of ambiguous.destinations) flags[c] |= mark;
        continue;
      }
      situation[s] = where;
      situations[where]++;
      if (ambiguous) {
        this.ambiguous.set(s, ambiguous);
        const rule = ambiguous.rule;
        this.problems.push(problems.ambiguousMatch(this.key[s], rule.sourceAttribute, rule.destinationAttribute, ambiguous.destinations.map((c) => this.dnOf(c)).sort()));
        for (const c of ambiguous.destinations) flags[c] |= KEPT | CLAIMED | CANDIDATE;
      } else if (d >= 0) {
        placed[s] = d;
        flags[d] |= KEPT | CLAIMED;
        if (claimant[d] < 0) claimant[d] = s;
        else {
          const more = this.moreClaimants.get(d);
          if (more) more.push(s);
          else this.moreClaimants.set(d, [s]);
        }
      }
    }
    if (this.deletedSources.size) this.claimDeleted();
    for (const [d, more] of this.moreClaimants) {
      // A repeated source key is already its own problem; only distinct objects make a duplicate match.
      const keys = [...new Set([claimant[d], ...more].map((s) => this.key[s]))];
      if (keys.length > 1) this.problems.push(problems.duplicateMatch(this.dnOf(d), keys));
    }
    for (let d = 0; d < flags.length; d++) {
      const f = flags[d];
      if (claimant[d] >= 0) continue;
      // Kept by outOfScopeAction 'ignore': their source object is still out of scope.
      if (f & KEPT) {
        if (!(f & CANDIDATE)) situations.source_deleted++;
      } else if (!this.partial || f & CLAIMED) {
        // A partial run says nothing of the objects its delta does not claim: they are left alone.
        situations.source_deleted++;
      }
    }
  }

  /**
   * Marks the destination objects of the source keys reported deleted (addDeletedSource) as
   * claimed by no source object: the partial run then deprovisions them as a complete run would.
   */
  private claimDeleted(): void {
    const inDelta = new Set<string>();
    for (const k of this.key) if (k) inDelta.add(this.identityOf(k));
    let linkedPositions: Set<number> | undefined;
    for (const [identity, dn] of this.deletedSources) {
      if (inDelta.has(identity) || this.linkConflicts.has(identity)) continue;
      const link = this.links.get(identity);
      let d = link === undefined ? -1 : typeof link === 'number' ? link : this.byAnchor.get(link);
      if (d < 0 && dn) {
        // A link recorded without an anchor: its DN, unless that object is another key's.
        if (!linkedPositions) {
          linkedPositions = new Set<number>();
          for (const [other, l] of this.links) {
            const at = typeof l === 'number' ? l : this.byAnchor.get(l);
            if (at >= 0 && other !== identity) linkedPositions.add(at);
          }
        }
        const at = this.byDn.get(normalizeDn(dn));
        if (at >= 0 && !linkedPositions.has(at)) d = at;
      }
      if (d < 0) continue;
      // Claimed, not kept: unless a source object of the delta claims it too, it is source_deleted.
      if (this.claimant[d] < 0 && !(this.flags[d] & (KEPT | CLAIMED))) this.sourceDeletions++;
      this.flags[d] |= CLAIMED;
    }
  }

  /**
   * Every in-scope source object with its action, in source key order: creates, reports and new
   * links. An update needs the destination object's attributes: planned here when `updates` (they
   * are all in memory), else left to settle() when the object goes by.
   */
  private planSources(updates: boolean): void {
    for (const s of this.order) {
      const situation = this.situation[s];
      if (!situation || this.values[s] === undefined || situation === 'ambiguous') continue;
      const action = this.actions[situation];
      const key = this.key[s];
      if (situation === 'unmatched') {
        if (action === 'create') this.planCreate(s);
        else if (action === 'report') this.problems.push(problems.situationReported('unmatched', key, ''));
        continue;
      }
      const d = this.placed[s];
      if (this.moreClaimants.has(d)) continue;
      if (action === 'report') {
        this.problems.push(problems.situationReported(situation, key, this.dnOf(d)));
      } else if (action === 'link') {
        this.newLinks.push({ sourceKey: key, dn: this.dnOf(d), anchor: this.anchorOf(d) });
        if (this.memberships) this.memberFate[s] = AT_DN;
      } else if (action === 'update') {
        if (updates) this.update(s, d, this.keptAttrs(d));
        else this.updateOf[d] = s;
      }
    }
  }

  /** Plans what becomes of one destination object, given its attributes: its pending update, or its deprovisioning. */
  private settle(d: number, attrs: ReadAttrs): void {
    this.flags[d] |= DONE;
    const s = this.updateOf[d];
    if (s >= 0) {
      this.update(s, d, attrs);
      return;
    }
    const action = this.deprovision;
    if (!action || this.flags[d] & KEPT || (this.partial && !(this.flags[d] & CLAIMED))) return;
    if (action === 'report') {
      this.problems.push(problems.situationReported('source_deleted', '', this.dnOf(d)));
    } else if (action === 'delete') {
      this.flags[d] |= GONE | DELETED;
      this.deletes.push({ kind: 'delete', dn: this.dnOf(d), sourceKey: '', objectClasses: [], changes: [] });
    } else if (this.disable) {
      this.flags[d] |= GONE;
      if (!this.isDisabled(attrs)) {
        const before = attrs.get(this.disable.key) ?? [];
        this.disables.push({ kind: 'disable', dn: this.dnOf(d), sourceKey: '', objectClasses: [], changes: [{ attribute: this.disable.attribute, before, after: [this.disable.value] }] });
      }
    }
  }

  private update(s: number, d: number, attrs: ReadAttrs): void {
    const situation = this.situation[s];
    const op = this.planUpdate(s, d, attrs, situation === 'linked');
    if (op === undefined) return;
    if (this.referenceMappings.length) this.holdReferences(s, attrs, op);
    // A rename's new DN is only sure once renames are checked against each other (finish()).
    if (this.memberships && (op === 'unchanged' || op.kind !== 'rename')) this.memberFate[s] = AT_DN;
    if (op === 'unchanged') this.unchanged++;
    else if (op.kind === 'rename') this.renames.push(op);
    else this.updates.push(op);
    if (situation === 'unlinked_match') this.newLinks.push({ sourceKey: this.key[s], dn: this.dnOf(d), anchor: this.anchorOf(d) });
  }

  /**
   * The update that brings a matched or linked destination object in line, 'unchanged', or
   * undefined when the object has a problem (recorded). A linked object whose DN the template now
   * renders otherwise (a naming attribute or the parent changed), or a matched one whose naming
   * attribute changes, gets a rename carrying its attribute changes: the anchor stays, so a rename
   * is never a delete and a create.
   */
  private planUpdate(s: number, d: number, attrs: ReadAttrs, linked: boolean): Operation | 'unchanged' | undefined {
    const values = this.valuesOf(s);
    const dn = this.dnOf(d);
    // Per mapping: the values after this run; IGNORE_FLOW keeps the destination's (onCreateOnly too).
    const afters: MappedValues[] = new Array<MappedValues>(this.mappings.length);
    for (let i = 0; i < this.mappings.length; i++) {
      const m = this.mappings[i];
      if (m.onCreateOnly) {
        afters[i] = IGNORE_FLOW;
        continue;
      }
      const after = m.expression.selectsUniqueValue ? this.selectUnique(s, m, attrs) : values[i];
      if (after === undefined) return undefined;
      afters[i] = after;
    }
    const final = (i: number): string[] => {
      const a = afters[i];
      return a === IGNORE_FLOW ? (attrs.get(this.mappings[i].key) ?? []) : a;
    };
    if (this.checks.requiredTargets.length && !this.requiredPresent(s, (key) => final(this.mappings.findIndex((m) => m.key === key)))) return undefined;
    const naming = namingAttribute(dn);
    const renamed = this.mappings.findIndex((m, i) => m.key === naming && afters[i] !== IGNORE_FLOW && !sameValues(attrs.get(m.key) ?? NO_VALUES, afters[i] as string[]));
    let newDn: string | undefined;
    if (linked || renamed >= 0) {
      const rendered = this.template.render((target) => final(this.mappings.findIndex((m) => m.target === target)));
      if ('dn' in rendered && normalizeDn(rendered.dn) !== normalizeDn(dn)) newDn = rendered.dn;
      // The naming value changed only in case, or another value of it came or went: the RDN value is
      // still there (the directory compares it case-insensitively), so it is a plain update.
      if (newDn === undefined && renamed >= 0 && !keepsRdnValue(dn, final(renamed))) {
        const m = this.mappings[renamed];
        this.problems.push(problems.renameRequired(this.key[s], dn, m.target, attrs.get(m.key) ?? [], final(renamed)));
        return undefined;
      }
      if (newDn !== undefined) {
        const taken = this.byDn.get(normalizeDn(newDn));
        // The object there keeps its own fate: with two passes it may already be settled.
        if (taken >= 0 && taken !== d) {
          this.problems.push(problems.renameTaken(this.key[s], dn, newDn, 'another object has'));
          return undefined;
        }
      }
    }
    let changes: PlannedChange[] | undefined;
    for (let i = 0; i < this.mappings.length; i++) {
      const after = afters[i];
      const m = this.mappings[i];
      // A reference's DNs are only known once every create and rename is (finish()).
      if (after === IGNORE_FLOW || m.reference) continue;
      const before = attrs.get(m.key) ?? NO_VALUES;
      if (sameValues(before, after)) continue;
      const planned = changeByPolicy(m, before === NO_VALUES ? [] : before, after);
      if (planned) (changes ??= []).push(planned);
    }
    // The object is back in the source after being disabled: enable it again, unless a mapping owns the attribute.
    if (this.disable && this.isDisabled(attrs) && !this.mappings.some((m) => m.key === this.disable!.key)) {
      (changes ??= []).push({ attribute: this.disable.attribute, before: attrs.get(this.disable.key)!, after: [] });
    }
    if (newDn !== undefined) return { kind: 'rename', dn, newDn, sourceKey: this.key[s], objectClasses: [], changes: changes ?? [] };
    if (!changes) return 'unchanged';
    return { kind: 'update', dn, sourceKey: this.key[s], objectClasses: [], changes };
  }

  /** checks.requiredTargets; false (problem recorded) when one is empty. */
  private requiredPresent(s: number, valuesOfKey: (key: string) => string[]): boolean {
    for (const key of this.checks.requiredTargets) {
      if (valuesOfKey(key).length === 0) {
        const target = this.mappings.find((m) => m.key === key)!.target;
        this.problems.push(problems.requiredTargetEmpty(this.key[s], s + 1, target));
        return false;
      }
    }
    return true;
  }

  private planCreate(s: number): void {
    const mapped = this.valuesOf(s);
    const key = this.key[s];
    const values: MappedValues[] = [];
    for (let i = 0; i < this.mappings.length; i++) {
      const m = this.mappings[i];
      const v = m.expression.selectsUniqueValue ? this.selectUnique(s, m) : mapped[i];
      if (v === undefined) return;
      values.push(v);
    }
    const valuesOfTarget = (target: string) => {
      const v = values[this.mappings.findIndex((m) => m.target === target)];
      return v === IGNORE_FLOW ? [] : v;
    };
    if (!this.requiredPresent(s, (k) => valuesOfTarget(this.mappings.find((m) => m.key === k)!.target))) return;
    const rendered = this.template.render(valuesOfTarget);
    if ('missing' in rendered) {
      this.problems.push(problems.dnValueMissing(key, rendered.missing, this.job.dnTemplate));
      return;
    }
    if ('multiple' in rendered) {
      this.problems.push(problems.dnValueMultiple(key, rendered.multiple, rendered.values));
      return;
    }
    const normalized = normalizeDn(rendered.dn);
    const existing = this.byDn.get(normalized);
    if (existing >= 0) {
      this.problems.push(problems.dnExists(rendered.dn, key));
      this.flags[existing] |= KEPT;
      return;
    }
    const changes = this.mappings.flatMap((m, i) => {
      const v = values[i];
      return v === IGNORE_FLOW || v.length === 0 ? [] : [change(m, [], v)];
    });
    const op: Operation = { kind: 'create', dn: rendered.dn, sourceKey: key, objectClasses: [...this.job.objectClasses], changes };
    const group = this.creates.get(normalized);
    if (group) group.push({ op, sourceKey: key });
    else this.creates.set(normalized, [{ op, sourceKey: key }]);
    if (this.referenceMappings.length) {
      this.referenceState[s] = R_CREATE;
      this.referenceOps.set(s, op);
    }
  }

  /** Keeps what finish() needs to settle the reference attributes of a planned update, rename or unchanged object. */
  private holdReferences(s: number, attrs: ReadAttrs, op: Operation | 'unchanged'): void {
    this.referenceState[s] = op === 'unchanged' ? R_UNCHANGED : op.kind === 'rename' ? R_RENAME : R_UPDATE;
    if (op !== 'unchanged') this.referenceOps.set(s, op);
    const before = this.referenceMappings.map((i) => attrs.get(this.mappings[i].key) ?? NO_VALUES);
    if (before.every((v) => v.length === 0)) return;
    const packed = packValues(before);
    this.referenceBefore[s] = typeof packed === 'string' ? this.strings.add(packed) : packed;
  }

  /** undefined when SelectUniqueValue failed; the problem is recorded. `own`: the object's destination attributes. */
  private selectUnique(s: number, m: CompiledMapping, own?: ReadAttrs): MappedValues | undefined {
    const unique = this.unique!;
    try {
      const v = toValues(m.expression(this.deferred[s] ?? {}, { ...this.context, isUnique: unique.checker(m.key, own) }));
      if (v !== IGNORE_FLOW) unique.claim(m.key, v);
      return v;
    } catch (e) {
      this.problems.push(problems.evalFailed(this.key[s], m.target, m.expression.text, e as Error));
      return undefined;
    }
  }

  private isDisabled(attrs: ReadAttrs): boolean {
    if (!this.disable) return false;
    const want = this.disable.value.toLowerCase();
    return (attrs.get(this.disable.key) ?? []).some((v) => v.toLowerCase() === want);
  }

  private assertNotFinished(): void {
    if (this.finished) throw new PlanningError('PLAN.FINISHED', 'this planner has already produced its plan; use a new Planner per run');
  }

  private assertOpen(): void {
    this.assertNotFinished();
    if (this.prepared) throw new PlanningError('PLAN.INPUT_CLOSED', 'the second pass over the destination has begun: every source object, destination object and link comes before it');
  }
}

function change(m: CompiledMapping, before: string[], after: string[]): PlannedChange {
  return m.expression.redacted ? { attribute: m.target, before, after, redacted: true } : { attribute: m.target, before, after };
}

/** Whether `values` still hold the value the DN's first RDN names, compared as the directory does (case-insensitively). */
function keepsRdnValue(dn: string, values: string[]): boolean {
  const rdn = splitDn(dn)[0] ?? '';
  const value = rdn.slice(rdn.indexOf('=') + 1).trim().toLowerCase();
  return values.some((v) => escapeDnValue(v).toLowerCase() === value);
}

/** The change an update makes to differing values under the mapping's multi-valued policy; undefined for none. */
function changeByPolicy(m: CompiledMapping, before: string[], after: string[]): PlannedChange | undefined {
  if (m.multiValued === 'keep') return before.length ? undefined : change(m, before, after);
  if (m.multiValued === 'merge') {
    const there = new Set(before);
    const added = after.filter((v) => !there.has(v));
    return added.length ? { ...change(m, before, added), mode: 'add' } : undefined;
  }
  return change(m, before, after);
}

/**
 * The change an update makes to a reference attribute under the mapping's multi-valued policy, or
 * undefined for none: DNs compare normalised, so "UID=a, ou=People" is "uid=a,ou=people".
 */
function referenceChange(m: CompiledMapping, before: string[], after: string[]): PlannedChange | undefined {
  const there = new Set(before.map(normalizeDn));
  const added = after.filter((dn) => !there.has(normalizeDn(dn)));
  // `after` holds distinct DNs: as many, none added, is the same set.
  if (added.length === 0 && there.size === after.length) return undefined;
  if (m.multiValued === 'keep') return before.length ? undefined : change(m, before, after);
  if (m.multiValued === 'merge') return added.length ? { ...change(m, before, added), mode: 'add' } : undefined;
  return change(m, before, after);
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
