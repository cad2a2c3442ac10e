import type { PlanningChecks } from './checks';
import type { ScopingFilter } from './scoping';
import type { Situation, SituationAction } from './situations';

/** Attribute name → values. A single-valued attribute has one value; absent or [] means none. */
export type Attrs = Record<string, string[]>;

/**
 * One object of a snapshot. For a source object `key` is its source key value; for a
 * destination object it is its DN.
 */
export interface IdentityRecord {
  key: string;
  /** Immutable anchor (entryUUID, objectGUID); '' where the system has none. */
  anchor: string;
  attributes: Attrs;
}

export interface Thresholds {
  maxCreates?: number;
  maxUpdates?: number;
  /** Counts deletes and disables together, as Entra's accidental-deletion prevention does. */
  maxDeletes?: number;
  /** Percent of the destination object count; not checked when the destination is empty. */
  maxCreatePercent?: number;
  maxUpdatePercent?: number;
  maxDeletePercent?: number;
  /** Without it, an empty source plans no delete at all and raises the empty_source guard. */
  allowEmptySource?: boolean;
  /**
   * Link guards (Netwrix's MaximumLinkInsertedLines and siblings): links are group member values
   * of the job's membership rules (PlanningJob.memberships): member adds, member removes, and no
   * link update. Percentages are of the members the job manages in the groups read; not checked
   * when there is none. PlannerOptions.linkCounts overrides the counts, field by field.
   */
  maxLinkCreates?: number;
  maxLinkUpdates?: number;
  maxLinkDeletes?: number;
  maxLinkCreatePercent?: number;
  maxLinkUpdatePercent?: number;
  maxLinkDeletePercent?: number;
}

export interface PlanningJob {
  /** Source column that identifies an object; read when a record comes without `key`. */
  sourceKey: string;
  /**
   * How a source object finds its destination object: the raw *source column* `sourceAttribute`
   * (not a mapped value) is compared with the destination attribute `destinationAttribute`,
   * trimmed and case-insensitively. Rules are tried by ascending priority; the first rule that
   * finds anything decides.
   */
  matching: { sourceAttribute: string; destinationAttribute: string; priority: number }[];
  /**
   * Target attribute ← Entra expression. onCreateOnly mappings are never updated. multiValued is
   * what an update does with the destination's values: 'replace' (default) writes exactly the
   * mapped values; 'merge' adds the mapped values that are missing and keeps every other value
   * (an add of values, as midPoint's non-authoritative mappings); 'keep' writes the mapped values
   * only while the destination has none.
   *
   * reference: the expression yields source keys (e.g. "[managerId]"), and the attribute gets the
   * DN each of them has after this plan (a create's DN, a rename's new DN, the current DN, or that
   * of a known link's object); a key that has none is PLAN.UNRESOLVED_REFERENCE. A create whose
   * reference is an object created in the same plan gets it with a phase-3 update, so that a
   * directory checking references (Active Directory's manager) accepts it. DN values compare
   * normalised. A reference target may not be in the DN template nor use SelectUniqueValue.
   */
  mappings: { target: string; expression: string; onCreateOnly?: boolean; multiValued?: MultiValuedPolicy; reference?: boolean }[];
  /** e.g. "uid={uid},ou=people": {x} is the mapped target attribute x, RFC 4514-escaped. */
  dnTemplate: string;
  /** Appended to the rendered template with a comma, e.g. "dc=example,dc=org". */
  baseDn: string;
  objectClasses: string[];
  /** What happens to a destination object no source object matches. */
  deprovision: 'delete' | 'disable' | 'ignore';
  /** For deprovision 'disable': the attribute set, and the value that means "disabled". */
  disable?: { attribute: string; value: string };
  thresholds: Thresholds;
  /** Which source objects are in scope (Entra's scoping filters). Unset: all of them. */
  scoping?: ScopingFilter;
  /**
   * What becomes of the destination object of a source object that is out of scope:
   * 'deprovision' (default) treats the source object as gone; 'ignore' leaves the destination
   * object alone (Entra's "skip out of scope deletions").
   */
  outOfScopeAction?: 'deprovision' | 'ignore';
  /**
   * The action per situation. Defaults: unmatched → create, unlinked_match → update (and link),
   * linked → update, source_deleted → `deprovision`, ambiguous → report.
   */
  actions?: Partial<Record<Situation, SituationAction>>;
  /** Preparation checks on the source data. Unset: keys case-sensitive, no other check, problems block. */
  checks?: PlanningChecks;
  /**
   * Group memberships derived from source columns: each rule names the groups a source object
   * belongs to. The groups themselves come with Planner.addGroup. Unset: no membership is planned.
   */
  memberships?: MembershipRule[];
}

/**
 * Group memberships derived from a source column, e.g. one group per department.
 *
 * @example
 *   { sourceAttribute: 'department', groupDnTemplate: 'cn={value},ou=groups' }
 *   // a source object with department "Sales" is a member of cn=Sales,ou=groups,<baseDn>
 */
export interface MembershipRule {
  /** Source column whose values name the groups a source object belongs to, e.g. department or "roles" (multi-valued). */
  sourceAttribute: string;
  /** e.g. "cn={value},ou=groups": {value} is one value of sourceAttribute, RFC 4514-escaped; baseDn is appended as for dnTemplate. */
  groupDnTemplate: string;
  /** Default 'member' (groupOfNames); 'uniqueMember' for groupOfUniqueNames. Values are member DNs. */
  memberAttribute?: string;
  /** Object classes of a group this rule creates; default ['top', 'groupOfNames']. */
  groupObjectClasses?: string[];
  /** Create a group that does not exist yet (default true); false: its memberships are a problem (PLAN.GROUP_MISSING). */
  createGroups?: boolean;
  /** replace (default): members the job manages that no longer belong are removed; merge: only adds. Members the job does not manage are never touched. */
  policy?: 'replace' | 'merge';
}

export type MultiValuedPolicy = 'replace' | 'merge' | 'keep';

export interface PlannedChange {
  attribute: string;
  before: string[];
  /** [] removes the attribute. With mode 'add' or 'remove': only the values added or removed. */
  after: string[];
  /**
   * Unset: `after` replaces the values. 'add': the values of `after` join those there. 'remove':
   * the values of `after` are taken out, the others stay. A group's member changes are 'add' and
   * 'remove' with `before` [] (a group may have 100,000 members: they are not copied).
   */
  mode?: 'add' | 'remove';
  /** The mapping uses Redact: views and logs must mask the values. */
  redacted?: boolean;
}

export interface PlannedOperation {
  /** Position in the plan: by phase, and within a phase in DN order (deletes deepest first). */
  index: number;
  /**
   * When the operation may run: each phase is applied in full before the next begins. 0 renames,
   * 1 creates of objects, 2 creates of groups (their initial members may be objects of phase 1),
   * 3 updates of objects and of group memberships, 4 disables, 5 deletes.
   */
  phase: number;
  kind: 'create' | 'update' | 'delete' | 'disable' | 'rename';
  dn: string;
  /**
   * For a rename: the DN the object gets (the DN template gives another one than it has: a
   * naming attribute or the parent changed). Its attribute changes are applied at the new DN.
   */
  newDn?: string;
  /** The source object's key; '' for deletes and disables, which have none. */
  sourceKey: string;
  /** For creates; [] otherwise. */
  objectClasses: string[];
  /** For a create every attribute; for an update or disable only those that change. */
  changes: PlannedChange[];
}

export interface PlanSummary {
  sourceCount: number;
  destinationCount: number;
  creates: number;
  updates: number;
  deletes: number;
  disables: number;
  /** Renames and moves (with or without attribute changes); the update guards count them as updates. */
  renames: number;
  /** Matched objects that need no change. */
  unchanged: number;
  /** Groups created (PlanningJob.memberships); not counted in `creates`. */
  groupCreates: number;
  /** Member values added to groups, initial members of created groups included. */
  memberAdds: number;
  /** Member values removed from groups. */
  memberRemoves: number;
}

export interface ThresholdViolation {
  /** e.g. "max_deletes", "max_delete_percent", "empty_source". */
  guard: string;
  limit: number;
  actual: number;
  /** e.g. "14 deletes exceed max_deletes 10". */
  message: string;
}

/**
 * Something in the input the planner will not guess about. The objects concerned get no
 * operation, and a destination object involved is never deleted.
 */
export interface PlanProblem {
  /** e.g. MAPPING.EVAL_FAILED, PLAN.DUPLICATE_DN, PLAN.AMBIGUOUS_MATCH. */
  code: string;
  message: string;
  details: Record<string, string>;
}

/** A destination object no source object claims, by link or by matching (Netwrix's Orphans report). */
export interface Orphan {
  dn: string;
  /** '' where the destination has none. */
  anchor: string;
}

/** A source object and the destination object it matched without a link: the caller records the link. */
export interface NewLink {
  sourceKey: string;
  dn: string;
  anchor: string;
}

export interface PlanResult {
  operations: PlannedOperation[];
  summary: PlanSummary;
  violations: ThresholdViolation[];
  problems: PlanProblem[];
  /** How many source/destination pairs landed in each situation. */
  situations: Record<Situation, number>;
  /** Destination objects no source object claims, in DN order. */
  orphans: Orphan[];
  /** Links to record: unlinked matches whose action is update or link, in source key order. */
  newLinks: NewLink[];
  /**
   * A partial run: how many of the source keys given to Planner.addDeletedSource named a
   * destination object to deprovision (the rest had no link, their object was gone already, or
   * the key is in the delta again). 0 for a complete run.
   */
  sourceDeletions: number;
  /**
   * Whether the caller must refuse the plan: there are problems and checks.onError is 'block'
   * (the default). With 'skip' the objects concerned are left out and the rest may run.
   */
  blocking: boolean;
}
