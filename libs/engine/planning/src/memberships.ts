import { valuesOf } from './attrs';
import { escapeDnValue, normalizeDn, splitDn } from './dn';
import { PlanningError } from './errors';
import { problems } from './problems';
import type { StringArena } from './string-arena';
import type { Attrs, IdentityRecord, MembershipRule, PlannedChange, PlannedOperation, PlanProblem } from './types';

export type GroupOperation = Omit<PlannedOperation, 'index' | 'phase'>;

const PLACEHOLDER = '{value}';
/** Joins a group's normalised member DNs in one string; a DN holds no raw line break (RFC 4514 escapes it). */
const SEPARATOR = '\n';
/** Source keys a group problem lists at most; the count says how many there are. */
const LISTED_KEYS = 10;

/** A membership rule with its defaults, and its DN template taken apart once. */
interface CompiledRule {
  sourceAttribute: string;
  groupDnTemplate: string;
  memberAttribute: string;
  objectClasses: string[];
  createGroups: boolean;
  policy: 'replace' | 'merge';
  /** The template before and after {value}, baseDn appended. */
  before: string;
  after: string;
  /** The naming attribute as written ("cn"), and the text around {value} in its value, unescaped. */
  rdnAttribute: string;
  rdnPrefix: string;
  rdnSuffix: string;
  /** The same, normalised, to tell whether an existing group's DN is one this rule gives. */
  normalizedType: string;
  normalizedPrefix: string;
  normalizedSuffix: string;
  normalizedParent: string;
}

/** An existing group (Planner.addGroup): its DN as read, its rule, and its member DNs normalised. */
interface ExistingGroup {
  dn: string;
  rule: number;
  /** Where the joined member DNs are in the arena; -1 for none. */
  members: number;
  /** A groupOfNames or groupOfUniqueNames: the schema requires at least one member. */
  needsMember: boolean;
}

/** Object classes whose schema requires at least one member value (RFC 4519). */
const MEMBER_REQUIRED = new Set(['groupofnames', 'groupofuniquenames']);

/** A group some source object belongs to, or an existing group of a rule. */
interface Target {
  dn: string;
  normalized: string;
  rule: number;
  /** The source value that names it, for the naming attribute of a group to create. */
  value: string;
  existing?: ExistingGroup;
  /** Planned source objects that belong to it, in source key order. */
  candidates: number[];
}

/**
 * What the membership planning needs of the planner, once every object is planned. "Planned": a
 * source object that gets a create, update, rename, link or "unchanged" without problem.
 */
export interface MembershipView {
  /** Source positions in source key order. */
  readonly order: readonly number[];
  readonly destinationCount: number;
  /** The DN a planned source object has after this plan; undefined for any other. */
  memberDn(s: number): string | undefined;
  /** Whether that DN is a new one (created, or renamed to). */
  moved(s: number): boolean;
  /** The destination object of a planned source object that is not created, else -1. */
  placed(s: number): number;
  sourceKey(s: number): string;
  /** The destination object with this normalised DN, or -1. */
  destination(normalized: string): number;
  /** The planned source object that is created as, or renamed to, this normalised DN; or -1. */
  newDnOwner(normalized: string): number;
  /**
   * What this plan does to a destination object: GONE (deleted or disabled), UNTOUCHED (no plan:
   * a problem, ignored, out of scope and kept, outside a partial run's delta), or the planned source
   * object that keeps it.
   */
  destinationFate(d: number): number;
  dnOf(d: number): string;
}

export const GONE = -2;
export const UNTOUCHED = -1;

export interface MembershipPlan {
  creates: GroupOperation[];
  updates: GroupOperation[];
  problems: PlanProblem[];
  memberAdds: number;
  memberRemoves: number;
  /** Members the job manages in the groups read: the base of the link percentages. */
  existingLinks: number;
}

/**
 * The job's membership rules (PlanningJob.memberships) and what they need to keep: per source
 * object the ids of its values of each rule's source column (a number, not a string, per object),
 * and the existing groups with their member DNs normalised and joined in one string outside the
 * JavaScript heap, since a group may have 100,000 members.
 *
 * @example
 *   const m = new Memberships([{ sourceAttribute: 'department', groupDnTemplate: 'cn={value},ou=groups' }], 'dc=example,dc=org', arena);
 *   m.addSource({ department: ['Sales'] });
 *   m.addGroup({ key: 'cn=Sales,ou=groups,dc=example,dc=org', anchor: '', attributes: { member: [] } });
 *   const { creates, updates } = m.plan(view);
 */
export class Memberships {
  private readonly rules: CompiledRule[];
  /** Per rule: a source value → its id. */
  private readonly valueIds: Map<string, number>[];
  /** Per rule, per source position: the id of its one value, the ids of its values, or -1 for none. */
  private readonly sourceValues: (number | number[])[][];
  private readonly groups = new Map<string, ExistingGroup>();

  constructor(
    rules: MembershipRule[],
    baseDn: string,
    private readonly strings: StringArena,
  ) {
    this.rules = rules.map((r, i) => compileRule(r, i, baseDn));
    this.valueIds = this.rules.map(() => new Map());
    this.sourceValues = this.rules.map(() => []);
  }

  /** The next source object's values; undefined for one that will not be planned (out of scope). */
  addSource(attributes: Attrs | undefined): void {
    for (let r = 0; r < this.rules.length; r++) {
      const values = attributes ? valuesOf(attributes, this.rules[r].sourceAttribute) : [];
      const ids = this.valueIds[r];
      let one = -1;
      let many: number[] | undefined;
      for (const v of values) {
        // An empty value renders no group ("no department"), as a template missing a value.
        if (!v || !v.trim()) continue;
        let id = ids.get(v);
        if (id === undefined) ids.set(v, (id = ids.size));
        if (one < 0) one = id;
        else if (id !== one && !many?.includes(id)) (many ??= [one]).push(id);
      }
      this.sourceValues[r].push(many ?? one);
    }
  }

  /** An existing group; undefined, or a problem for a DN read twice. Groups no rule gives are not kept. */
  addGroup(rec: IdentityRecord): PlanProblem | undefined {
    const normalized = normalizeDn(rec.key);
    const rule = this.ruleOf(normalized);
    if (rule < 0) return undefined;
    if (this.groups.has(normalized)) return problems.duplicateDestination(rec.key);
    const members = valuesOf(rec.attributes, this.rules[rule].memberAttribute);
    const joined = members.map(normalizeDn).join(SEPARATOR);
    const needsMember = valuesOf(rec.attributes, 'objectClass').some((c) => MEMBER_REQUIRED.has(c.toLowerCase()));
    this.groups.set(normalized, { dn: rec.key, rule, members: joined ? this.strings.add(joined) : -1, needsMember });
    return undefined;
  }

  /**
   * The group creates and membership updates, once every object is planned. Adds come in source
   * key order, removes in the group's member order.
   */
  plan(view: MembershipView): MembershipPlan {
    const out: MembershipPlan = { creates: [], updates: [], problems: [], memberAdds: 0, memberRemoves: 0, existingLinks: 0 };
    const { targets, byRuleValue } = this.targets();
    for (const s of view.order) {
      if (view.memberDn(s) === undefined) continue;
      for (let r = 0; r < this.rules.length; r++) {
        const v = this.sourceValues[r][s];
        if (typeof v === 'number') {
          if (v >= 0) push(targets[byRuleValue[r][v]].candidates, s);
        } else for (const id of v) push(targets[byRuleValue[r][id]].candidates, s);
      }
    }
    // Marks per destination object while one group is compared: 1 a current member, 2 one that stays.
    const mark = new Uint8Array(view.destinationCount);
    for (const t of targets) {
      if (t.candidates.length === 0 && !t.existing) continue;
      if (view.destination(t.normalized) >= 0 || view.newDnOwner(t.normalized) >= 0) {
        // A person's entry (or one this plan creates) is no group: adding members to it is a guess.
        if (t.candidates.length) out.problems.push(problems.groupIsObject(t.dn, this.keysOf(t, view), t.candidates.length));
        continue;
      }
      const rule = this.rules[t.rule];
      if (!t.existing) {
        if (!rule.createGroups) {
          out.problems.push(problems.groupMissing(t.dn, this.keysOf(t, view), t.candidates.length));
          continue;
        }
        const members = t.candidates.map((s) => view.memberDn(s)!);
        out.creates.push({
          kind: 'create',
          dn: t.dn,
          sourceKey: '',
          objectClasses: [...rule.objectClasses],
          changes: [
            { attribute: rule.rdnAttribute, before: [], after: [rule.rdnPrefix + t.value + rule.rdnSuffix] },
            { attribute: rule.memberAttribute, before: [], after: members },
          ],
        });
        out.memberAdds += members.length;
        continue;
      }
      const op = this.compare(t, t.existing, rule, view, mark, out);
      if (op) out.updates.push(op);
    }
    return out;
  }

  /** One existing group: its adds and (policy replace, or a renamed member) removes. */
  private compare(t: Target, group: ExistingGroup, rule: CompiledRule, view: MembershipView, mark: Uint8Array, out: MembershipPlan): GroupOperation | undefined {
    const members = group.members < 0 ? [] : this.strings.get(group.members).split(SEPARATOR);
    const current: number[] = [];
    /** Members that are not destination objects but DNs this plan creates or renames to → whether they stay. */
    const early = new Map<string, boolean>();
    for (const m of members) {
      const d = view.destination(m);
      if (d >= 0) {
        if (mark[d] === 0) {
          mark[d] = 1;
          current.push(d);
        }
      } else if (!early.has(m) && view.newDnOwner(m) >= 0) early.set(m, false);
      // Anything else is a member the job does not manage: never touched.
    }
    out.existingLinks += current.length + early.size;
    const adds: string[] = [];
    const removes: string[] = [];
    const add = (dn: string) => {
      const n = normalizeDn(dn);
      if (early.has(n)) early.set(n, true);
      else adds.push(dn);
    };
    for (const s of t.candidates) {
      if (view.moved(s)) {
        add(view.memberDn(s)!);
        continue;
      }
      const d = view.placed(s);
      if (mark[d] === 0) adds.push(view.dnOf(d));
      else mark[d] = 2;
    }
    const replace = rule.policy === 'replace';
    let candidates: Set<number> | undefined;
    for (const d of current) {
      const stays = mark[d] === 2;
      mark[d] = 0;
      if (stays) continue;
      const fate = view.destinationFate(d);
      if (fate === UNTOUCHED) continue;
      if (fate === GONE) {
        if (replace) removes.push(view.dnOf(d));
      } else if (view.moved(fate)) {
        // A renamed member: its old DN goes; under merge its membership follows it to the new DN.
        removes.push(view.dnOf(d));
        if (!replace && !(candidates ??= new Set(t.candidates)).has(fate)) add(view.memberDn(fate)!);
      } else if (replace) removes.push(view.dnOf(d));
    }
    if (replace) for (const [m, stays] of early) if (!stays) removes.push(view.memberDn(view.newDnOwner(m))!);
    if (group.needsMember && removes.length && new Set(members).size - removes.length + adds.length <= 0) {
      // The directory refuses a groupOfNames without a member, and keeping a leaver as a placeholder would
      // leave them their access: the removes wait for a person to decide (delete the group, or add one).
      out.problems.push(problems.groupWouldBeEmpty(group.dn, removes.length));
      removes.length = 0;
    }
    out.memberAdds += adds.length;
    out.memberRemoves += removes.length;
    if (adds.length === 0 && removes.length === 0) return undefined;
    const changes: PlannedChange[] = [];
    if (adds.length) changes.push({ attribute: rule.memberAttribute, before: [], after: adds, mode: 'add' });
    if (removes.length) changes.push({ attribute: rule.memberAttribute, before: [], after: removes, mode: 'remove' });
    return { kind: 'update', dn: group.dn, sourceKey: '', objectClasses: [], changes };
  }

  /**
   * Every group a source value renders to, and every existing group; per rule, value id → target.
   * Values are rendered in sorted order, so two values giving one DN (case) always name it alike.
   */
  private targets(): { targets: Target[]; byRuleValue: Int32Array[] } {
    const targets: Target[] = [];
    const byDn = new Map<string, number>();
    const byRuleValue = this.rules.map((rule, r) => {
      const ids = this.valueIds[r];
      const at = new Int32Array(ids.size);
      for (const [value, id] of [...ids].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
        const dn = rule.before + escapeDnValue(value) + rule.after;
        const normalized = normalizeDn(dn);
        let t = byDn.get(normalized);
        if (t === undefined) {
          const existing = this.groups.get(normalized);
          byDn.set(normalized, (t = targets.length));
          targets.push({ dn: existing?.dn ?? dn, normalized, rule: existing?.rule ?? r, value, existing, candidates: [] });
        }
        at[id] = t;
      }
      return at;
    });
    for (const [normalized, existing] of this.groups) {
      if (!byDn.has(normalized)) targets.push({ dn: existing.dn, normalized, rule: existing.rule, value: '', existing, candidates: [] });
    }
    return { targets, byRuleValue };
  }

  /** The first rule whose template gives this normalised DN, or -1. */
  private ruleOf(normalized: string): number {
    const rdns = splitDn(normalized);
    const first = rdns[0] ?? '';
    const eq = first.indexOf('=');
    const type = first.slice(0, eq);
    const value = first.slice(eq + 1);
    const parent = rdns.slice(1).join(',');
    return this.rules.findIndex(
      (r) =>
        r.normalizedType === type &&
        r.normalizedParent === parent &&
        value.length > r.normalizedPrefix.length + r.normalizedSuffix.length &&
        value.startsWith(r.normalizedPrefix) &&
        value.endsWith(r.normalizedSuffix),
    );
  }

  private keysOf(t: Target, view: MembershipView): string[] {
    return t.candidates.slice(0, LISTED_KEYS).map((s) => view.sourceKey(s));
  }
}

function push(list: number[], s: number): void {
  // Two values of one object may name one group (case): it is one member.
  if (list[list.length - 1] !== s) list.push(s);
}

function invalid(i: number, message: string, extra: Record<string, string> = {}): PlanningError {
  return new PlanningError('PLAN.INVALID_JOB', `membership rule ${i + 1}: ${message}`, { field: 'memberships', rule: String(i + 1), ...extra });
}

function compileRule(rule: MembershipRule, i: number, baseDn: string): CompiledRule {
  const sourceAttribute = rule.sourceAttribute?.trim();
  if (!sourceAttribute) throw invalid(i, 'names no sourceAttribute');
  const template = rule.groupDnTemplate ?? '';
  const at = template.indexOf(PLACEHOLDER);
  if (at < 0 || template.indexOf(PLACEHOLDER, at + 1) >= 0 || /[{}]/.test(template.replace(PLACEHOLDER, ''))) {
    throw invalid(i, `the group DN template ${JSON.stringify(template)} must hold {value} exactly once, and no other placeholder, e.g. "cn={value},ou=groups"`, { groupDnTemplate: template });
  }
  const rdns = splitDn(template);
  const first = rdns[0] ?? '';
  const eq = first.indexOf('=');
  const inFirst = first.indexOf(PLACEHOLDER);
  if (eq <= 0 || inFirst < eq) {
    throw invalid(i, `{value} must be in the naming component (the first one) after "attribute=", as in "cn={value},ou=groups"; got ${JSON.stringify(template)}`, { groupDnTemplate: template });
  }
  const memberAttribute = rule.memberAttribute?.trim() || 'member';
  const policy = rule.policy ?? 'replace';
  if (policy !== 'replace' && policy !== 'merge') throw invalid(i, `policy must be "replace" or "merge", not ${JSON.stringify(policy)}`, { policy: String(policy) });
  const suffix = baseDn ? `,${baseDn}` : '';
  const rdnAttribute = first.slice(0, eq).trim();
  const rawPrefix = first.slice(eq + 1, inFirst).trimStart();
  const rawSuffix = first.slice(inFirst + PLACEHOLDER.length).trimEnd();
  return {
    sourceAttribute,
    groupDnTemplate: template,
    memberAttribute,
    objectClasses: rule.groupObjectClasses?.length ? rule.groupObjectClasses : ['top', 'groupOfNames'],
    createGroups: rule.createGroups ?? true,
    policy,
    before: template.slice(0, at),
    after: template.slice(at + PLACEHOLDER.length) + suffix,
    rdnAttribute,
    rdnPrefix: unescape(rawPrefix),
    rdnSuffix: unescape(rawSuffix),
    normalizedType: rdnAttribute.toLowerCase(),
    normalizedPrefix: rawPrefix.toLowerCase(),
    normalizedSuffix: rawSuffix.toLowerCase(),
    normalizedParent: normalizeDn([...rdns.slice(1), ...(baseDn ? [baseDn] : [])].join(',')),
  };
}

/** The value an escaped template text stands for ("R\\&D" → "R&D"); hex escapes are kept as written. */
function unescape(text: string): string {
  return text.replace(/\\([^0-9a-fA-F])/g, '$1');
}
