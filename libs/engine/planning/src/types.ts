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
  /** Target attribute ← Entra expression. onCreateOnly mappings are never updated. */
  mappings: { target: string; expression: string; onCreateOnly?: boolean }[];
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
}

export interface PlannedChange {
  attribute: string;
  before: string[];
  /** [] removes the attribute. */
  after: string[];
  /** The mapping uses Redact: views and logs must mask the values. */
  redacted?: boolean;
}

export interface PlannedOperation {
  /** Position in the plan: creates, updates, disables, deletes, each group in DN order. */
  index: number;
  kind: 'create' | 'update' | 'delete' | 'disable';
  dn: string;
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
  /** Matched objects that need no change. */
  unchanged: number;
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

export interface PlanResult {
  operations: PlannedOperation[];
  summary: PlanSummary;
  violations: ThresholdViolation[];
  problems: PlanProblem[];
}
