import type { AttributeSchema, AttributeType, ObjectTypeSchema } from '@idsync/connector-core';

/** An attribute type description (RFC 4512 §4.1.2), as written; SUP is not followed here (see LdapSchema). */
export interface AttributeTypeDescription {
  oid: string;
  /** Every NAME, the first being the one servers return. */
  names: string[];
  sup?: string;
  /** The syntax OID without its length bound ({256}). */
  syntax?: string;
  singleValue: boolean;
  noUserModification: boolean;
  usage: 'userApplications' | 'directoryOperation' | 'distributedOperation' | 'dSAOperation';
}

/** An object class description (RFC 4512 §4.1.1). */
export interface ObjectClassDescription {
  oid: string;
  names: string[];
  sup: string[];
  kind: 'ABSTRACT' | 'STRUCTURAL' | 'AUXILIARY';
  must: string[];
  may: string[];
}

/** A DIT content rule (RFC 4512 §4.1.6): the auxiliary classes and extra attributes a structural class allows. */
export interface DitContentRuleDescription {
  /** The OID of the structural class it governs. */
  oid: string;
  names: string[];
  aux: string[];
  must: string[];
  may: string[];
}

type Token = { kind: 'open' | 'close' | 'dollar' } | { kind: 'word' | 'quoted'; text: string };

/** Splits a description into parentheses, `$`, quoted strings (RFC 4512 escapes \27 and \5C undone) and bare words. */
function tokenize(description: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < description.length) {
    const c = description[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === '$') {
      tokens.push({ kind: c === '(' ? 'open' : c === ')' ? 'close' : 'dollar' });
      i++;
    } else if (c === "'") {
      const end = description.indexOf("'", i + 1);
      if (end < 0) throw new SyntaxError(`unterminated quoted string in ${description}`);
      tokens.push({ kind: 'quoted', text: description.slice(i + 1, end).replace(/\\27/gi, "'").replace(/\\5c/gi, '\\') });
      i = end + 1;
    } else {
      let end = i;
      while (end < description.length && !" \t\n\r()$'".includes(description[end])) end++;
      tokens.push({ kind: 'word', text: description.slice(i, end) });
      i = end;
    }
  }
  return tokens;
}

/** The keywords of a description: each keyword with its value (one word or quoted string, or a parenthesised list). */
function parseFields(description: string): { oid: string; fields: Map<string, string[]> } {
  const tokens = tokenize(description);
  if (tokens[0]?.kind !== 'open' || tokens[tokens.length - 1]?.kind !== 'close' || tokens[1]?.kind !== 'word') {
    throw new SyntaxError(`not an RFC 4512 description: ${description}`);
  }
  const oid = tokens[1].text;
  const fields = new Map<string, string[]>();
  let i = 2;
  const end = tokens.length - 1;
  while (i < end) {
    const keyword = tokens[i++];
    if (keyword.kind !== 'word') throw new SyntaxError(`expected a keyword at token ${i} of ${description}`);
    const values: string[] = [];
    const next = tokens[i];
    if (next?.kind === 'open') {
      i++;
      while (i < end && tokens[i].kind !== 'close') {
        const t = tokens[i++];
        if (t.kind === 'word' || t.kind === 'quoted') values.push(t.text);
      }
      i++;
    } else if (next && (next.kind === 'quoted' || (next.kind === 'word' && !isKeyword(next.text)))) {
      values.push(next.text);
      i++;
    }
    fields.set(keyword.text.toUpperCase(), values);
  }
  return { oid, fields };
}

/** Keywords are upper-case letters, digits and hyphens (NAME, SINGLE-VALUE, X-ORIGIN); values like OIDs or names are not all upper-case. */
function isKeyword(word: string): boolean {
  return /^[A-Z][A-Z0-9-]*$/.test(word) && word !== word.toLowerCase();
}

/** Parses one `attributeTypes` value of a subschema subentry. Throws SyntaxError for text that is not a description. */
export function parseAttributeType(description: string): AttributeTypeDescription {
  const { oid, fields } = parseFields(description);
  const usage = fields.get('USAGE')?.[0] as AttributeTypeDescription['usage'] | undefined;
  return {
    oid,
    names: fields.get('NAME') ?? [],
    sup: fields.get('SUP')?.[0],
    syntax: fields.get('SYNTAX')?.[0]?.replace(/\{\d+\}$/, ''),
    singleValue: fields.has('SINGLE-VALUE'),
    noUserModification: fields.has('NO-USER-MODIFICATION'),
    usage: usage ?? 'userApplications',
  };
}

/** Parses one `objectClasses` value of a subschema subentry. */
export function parseObjectClass(description: string): ObjectClassDescription {
  const { oid, fields } = parseFields(description);
  const kind = fields.has('ABSTRACT') ? 'ABSTRACT' : fields.has('AUXILIARY') ? 'AUXILIARY' : 'STRUCTURAL';
  return { oid, names: fields.get('NAME') ?? [], sup: fields.get('SUP') ?? [], kind, must: fields.get('MUST') ?? [], may: fields.get('MAY') ?? [] };
}

/** Parses one `dITContentRules` value of a subschema subentry. */
export function parseDitContentRule(description: string): DitContentRuleDescription {
  const { oid, fields } = parseFields(description);
  return { oid, names: fields.get('NAME') ?? [], aux: fields.get('AUX') ?? [], must: fields.get('MUST') ?? [], may: fields.get('MAY') ?? [] };
}

const SYNTAX = '1.3.6.1.4.1.1466.115.121.1.';

/**
 * LDAP syntax OIDs (RFC 4517, RFC 4523, RFC 4530, and Active Directory's own) → attribute types. A syntax not listed
 * is 'string': what an LDAP client can always read a value as.
 */
const SYNTAX_TYPES: Record<string, AttributeType> = {
  [`${SYNTAX}7`]: 'boolean',
  [`${SYNTAX}27`]: 'integer',
  // Active Directory's Large Integer (uSNChanged, accountExpires) and Enumeration are integers too.
  '1.2.840.113556.1.4.906': 'integer',
  [`${SYNTAX}24`]: 'datetime', // GeneralizedTime
  [`${SYNTAX}53`]: 'datetime', // UTCTime
  [`${SYNTAX}12`]: 'dn',
  [`${SYNTAX}34`]: 'dn', // Name And Optional UID (uniqueMember)
  [`${SYNTAX}40`]: 'binary', // Octet String (objectGUID, objectSid, userPassword)
  [`${SYNTAX}5`]: 'binary',
  [`${SYNTAX}4`]: 'binary', // Audio
  [`${SYNTAX}8`]: 'binary', // Certificate
  [`${SYNTAX}9`]: 'binary', // Certificate List
  [`${SYNTAX}10`]: 'binary', // Certificate Pair
  [`${SYNTAX}28`]: 'binary', // JPEG
  [`${SYNTAX}49`]: 'binary', // Supported Algorithm
  '1.2.840.113556.1.4.907': 'binary', // AD security descriptor (nTSecurityDescriptor)
  '1.3.6.1.1.15.7': 'binary', // X.509 Certificate (RFC 4523)
};

export function syntaxType(oid: string | undefined): AttributeType {
  return (oid && SYNTAX_TYPES[oid]) || 'string';
}

/** An attribute with SUP followed: the syntax and single-valuedness it has in effect. */
export interface ResolvedAttributeType extends AttributeTypeDescription {
  /** The syntax in effect, inherited from the supertype when the attribute names none (cn from name). */
  syntax?: string;
}

/**
 * A parsed subschema subentry: attribute types, object classes and DIT content rules, looked up by any NAME or by
 * OID, case-insensitively (RFC 4512 §2.5: descriptors are case-insensitive).
 *
 * @example
 *   const schema = LdapSchema.parse({ attributeTypes, objectClasses, dITContentRules });
 *   schema.objectType({ name: 'user', classes: ['inetOrgPerson'], anchor: 'entryUUID', serverSet: ['objectClass'] }).attributes; // cn, sn, mail...
 */
export class LdapSchema {
  private readonly attributes = new Map<string, AttributeTypeDescription>();
  private readonly classes = new Map<string, ObjectClassDescription>();
  private readonly rules = new Map<string, DitContentRuleDescription>();

  constructor(attributeTypes: AttributeTypeDescription[], objectClasses: ObjectClassDescription[], contentRules: DitContentRuleDescription[] = []) {
    for (const a of attributeTypes) for (const key of [a.oid, ...a.names]) this.attributes.set(key.toLowerCase(), a);
    for (const c of objectClasses) for (const key of [c.oid, ...c.names]) this.classes.set(key.toLowerCase(), c);
    // A rule is keyed by its structural class's OID; its NAME is usually the class's name too.
    for (const r of contentRules) for (const key of [r.oid, ...r.names]) this.rules.set(key.toLowerCase(), r);
  }

  /**
   * Parses the values of a subschema subentry. A value that is not a description is skipped rather than failing the
   * whole schema: servers add extensions (X-...) and occasionally publish a malformed one.
   */
  static parse(subentry: { attributeTypes?: string[]; objectClasses?: string[]; dITContentRules?: string[] }): LdapSchema {
    const each = <T>(values: string[] | undefined, parse: (s: string) => T): T[] =>
      (values ?? []).flatMap((v) => {
        try {
          return [parse(v)];
        } catch {
          return [];
        }
      });
    return new LdapSchema(each(subentry.attributeTypes, parseAttributeType), each(subentry.objectClasses, parseObjectClass), each(subentry.dITContentRules, parseDitContentRule));
  }

  /** The attribute type, with the syntax and SINGLE-VALUE of its supertypes where it has none of its own. */
  attributeType(name: string): ResolvedAttributeType | undefined {
    const own = this.attributes.get(name.toLowerCase());
    if (!own) return undefined;
    let syntax = own.syntax;
    const seen = new Set([own.oid]);
    // A cycle of SUPs is a broken schema; `seen` stops it rather than looping.
    for (let sup = this.supOf(own); sup && !syntax && !seen.has(sup.oid); sup = this.supOf(sup)) {
      seen.add(sup.oid);
      syntax = sup.syntax;
    }
    return { ...own, syntax };
  }

  private supOf(a: AttributeTypeDescription): AttributeTypeDescription | undefined {
    return a.sup ? this.attributes.get(a.sup.toLowerCase()) : undefined;
  }

  objectClass(name: string): ObjectClassDescription | undefined {
    return this.classes.get(name.toLowerCase());
  }

  /** The class and its superclasses up to top, the class first. Unknown names are left out. */
  superclasses(name: string): ObjectClassDescription[] {
    const found: ObjectClassDescription[] = [];
    const seen = new Set<string>();
    const visit = (n: string) => {
      const c = this.objectClass(n);
      if (!c || seen.has(c.oid)) return;
      seen.add(c.oid);
      found.push(c);
      for (const sup of c.sup) visit(sup);
    };
    visit(name);
    return found;
  }

  /**
   * What an entry of a structural class may hold: the MUST and MAY of the class, its superclasses, the auxiliary
   * classes its DIT content rule allows (Active Directory publishes one per class: securityPrincipal brings a user's
   * sAMAccountName) with their superclasses, and the rule's own MUST and MAY. Names are as the server returns them.
   */
  private allowed(name: string): { classes: ObjectClassDescription[]; must: Set<string>; may: Set<string> } | undefined {
    const root = this.objectClass(name);
    if (!root) return undefined;
    const rule = this.ruleOf(root);
    const classes = [...this.superclasses(name)];
    for (const aux of rule.aux) for (const c of this.superclasses(aux)) if (!classes.includes(c)) classes.push(c);
    // An auxiliary class's MUST applies only to entries that carry it, which a create decides: only the rule's own
    // MUST and the structural chain's are required of every entry.
    const structural = this.superclasses(name);
    const must = new Set([...structural.flatMap((c) => c.must), ...rule.must].map((n) => this.canonical(n)));
    const may = new Set([...classes.flatMap((c) => [...c.must, ...c.may]), ...rule.may].map((n) => this.canonical(n)));
    return { classes, must, may };
  }

  /**
   * The object type of entries carrying `classes`. With `alternatives` (a filter such as `(|(objectClass=a)(objectClass=b))`)
   * an entry carries one of them: attributes are the union, and an attribute is required only when every one requires it.
   * Otherwise an entry carries all of them and an attribute any of them requires is required. Attributes in `serverSet`
   * (objectClass, which the create's objectClasses give; AD's objectCategory) and NO-USER-MODIFICATION ones are never
   * required: a create does not give them. The anchor is listed, read-only, although it is operational (in no class).
   */
  objectType(spec: { name: string; classes: string[]; alternatives?: boolean; anchor: string; serverSet?: string[] }): ObjectTypeSchema {
    const found = spec.classes.map((c) => this.allowed(c)).filter((a) => a !== undefined);
    const serverSet = new Set((spec.serverSet ?? []).map((n) => this.canonical(n).toLowerCase()));
    const byLower = new Map<string, string>();
    for (const a of found) for (const n of [...a.must, ...a.may]) byLower.set(n.toLowerCase(), n);
    const required = (name: string): boolean => {
      if (!found.length || serverSet.has(name.toLowerCase())) return false;
      return spec.alternatives ? found.every((a) => a.must.has(name)) : found.some((a) => a.must.has(name));
    };
    const attributes: AttributeSchema[] = [...byLower.values()].map((name) => this.describe(name, required(name)));
    if (spec.anchor && !byLower.has(this.canonical(spec.anchor).toLowerCase())) attributes.push({ ...this.describe(spec.anchor, false), readOnly: true });
    return {
      name: spec.name,
      nativeNames: [...new Set(found.flatMap((a) => a.classes.map((c) => c.names[0] ?? c.oid)))],
      anchor: spec.anchor ? this.canonical(spec.anchor) : '',
      key: 'dn',
      attributes: attributes.sort((a, b) => a.name.localeCompare(b.name)),
    };
  }

  /** The DIT content rule of a class (by its OID, else by a name), or an empty one. */
  private ruleOf(c: ObjectClassDescription): { aux: string[]; must: string[]; may: string[] } {
    const rule = this.rules.get(c.oid.toLowerCase()) ?? c.names.map((n) => this.rules.get(n.toLowerCase())).find((r) => r);
    return rule ?? { aux: [], must: [], may: [] };
  }

  /** The name the server returns for an attribute named by any of its names or its OID. */
  private canonical(name: string): string {
    return this.attributes.get(name.toLowerCase())?.names[0] ?? name;
  }

  private describe(name: string, required: boolean): AttributeSchema {
    const a = this.attributeType(name);
    if (!a) return { name, type: 'string', multiValued: true, required };
    const attribute: AttributeSchema = { name: a.names[0] ?? name, type: syntaxType(a.syntax), multiValued: !a.singleValue, required: required && !a.noUserModification };
    if (a.noUserModification) attribute.readOnly = true;
    return attribute;
  }
}

/**
 * The object classes an LDAP filter asks for by equality (`objectClass=x`), and whether they are alternatives (the
 * filter is an OR of them) rather than all required. Enough for the filters connectors are configured with; a filter
 * that names no class gives none.
 *
 * @example
 *   filterClasses('(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))'); // { classes: [...], alternatives: true }
 */
export function filterClasses(filter: string): { classes: string[]; alternatives: boolean } {
  const classes = [...filter.matchAll(/\(\s*objectClass\s*=\s*([^()*\s]+)\s*\)/gi)].map((m) => m[1]);
  return { classes: [...new Set(classes)], alternatives: /^\(\s*\|/.test(filter.trim()) };
}
