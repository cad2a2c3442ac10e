import { escapeDnValue } from './dn';
import { PlanningError } from './errors';

type Part = { literal: string } | { attribute: string };

export type RenderedDn = { dn: string } | { missing: string } | { multiple: string; values: string[] };

/**
 * A job's DN template, e.g. "uid={uid},ou=people", parsed once. Placeholders name mapped target
 * attributes (case-insensitively); their value is escaped, the template's own text is not.
 */
export class DnTemplate {
  private readonly parts: Part[] = [];

  constructor(
    readonly template: string,
    private readonly baseDn: string,
    mappedTargets: string[],
  ) {
    if (!template.trim()) throw new PlanningError('PLAN.INVALID_JOB', 'the job has no DN template, e.g. "uid={uid},ou=people"', { field: 'dnTemplate' });
    const targets = new Map(mappedTargets.map((t) => [t.toLowerCase(), t]));
    const re = /\{([^{}]*)\}/g;
    let last = 0;
    for (const m of template.matchAll(re)) {
      const name = m[1].trim();
      const target = targets.get(name.toLowerCase());
      if (!target) {
        throw new PlanningError('PLAN.INVALID_JOB', `the DN template uses {${name}} but no mapping sets ${name}`, { field: 'dnTemplate', placeholder: name });
      }
      if (m.index > last) this.parts.push({ literal: template.slice(last, m.index) });
      this.parts.push({ attribute: target });
      last = m.index + m[0].length;
    }
    if (last < template.length) this.parts.push({ literal: template.slice(last) });
    if (!this.parts.some((p) => 'attribute' in p)) {
      throw new PlanningError('PLAN.INVALID_JOB', 'the DN template names no attribute, so every object would get the same DN', { field: 'dnTemplate' });
    }
  }

  /** The target attributes the template names, as the mappings spell them. */
  get attributes(): string[] {
    return this.parts.flatMap((p) => ('attribute' in p ? [p.attribute] : []));
  }

  /** Renders the DN from an object's mapped attributes; each placeholder needs exactly one value. */
  render(valuesOf: (target: string) => string[]): RenderedDn {
    let dn = '';
    for (const p of this.parts) {
      if ('literal' in p) {
        dn += p.literal;
        continue;
      }
      const values = valuesOf(p.attribute);
      if (values.length === 0) return { missing: p.attribute };
      if (values.length > 1) return { multiple: p.attribute, values };
      dn += escapeDnValue(values[0]);
    }
    return { dn: this.baseDn ? `${dn},${this.baseDn}` : dn };
  }
}
