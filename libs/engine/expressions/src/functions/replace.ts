import { fail } from '../errors';
import { isEmpty, mapText, toText } from '../values';
import { eager, type FunctionDef } from './function';

/**
 * Replace(source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template)
 * chooses its behaviour from which arguments are given (an empty argument `, ,` is not given;
 * an empty string "" is), as Entra documents:
 *
 *  - regexPattern + regexGroupName + replacementAttributeName: source if it has a value, else the
 *    group's match in replacementAttributeName;
 *  - regexPattern + regexGroupName + replacementValue: each match of the group in source is replaced;
 *  - regexPattern + replacementValue: regex replace, `${name}` and `$1` refer to groups;
 *  - oldValue + template: each oldValue in template is replaced by source;
 *  - oldValue + replacementValue: each oldValue in source is replaced (case-sensitive).
 *
 * Patterns are .NET regular expressions; the common subset (classes, quantifiers, named groups
 * `(?<name>...)`, anchors) means the same in JavaScript. Inline options such as `(?i)` do not.
 */
export const replaceFunction: FunctionDef = eager('Replace', 3, 7, (args) => {
  const [source, oldValue, pattern, groupName, replacement, replacementAttribute, template] = args;
  const group = toText(groupName) || null;
  if (pattern !== undefined) {
    const re = regex(toText(pattern) ?? '');
    if (group && replacementAttribute !== undefined && replacement === undefined) {
      if (!isEmpty(source)) return source!;
      const from = toText(replacementAttribute);
      if (from === null) return null;
      return re.exec(from)?.groups?.[group] ?? null;
    }
    if (group) return mapText(source, (s) => replaceGroup(s, re, group, toText(replacement) ?? ''));
    const to = dotNetSubstitution(toText(replacement) ?? '');
    return mapText(source, (s) => s.replace(re, to));
  }
  if (oldValue !== undefined) {
    const old = toText(oldValue) ?? '';
    if (template !== undefined) {
      const t = toText(template) ?? '';
      return mapText(source, (s) => (old ? t.replaceAll(old, s) : t));
    }
    const to = toText(replacement) ?? '';
    return mapText(source, (s) => (old ? s.replaceAll(old, to) : s));
  }
  return source ?? null;
});

// Patterns are job configuration: few distinct ones, each applied to every object.
const regexCache = new Map<string, RegExp>();

function regex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    try {
      re = new RegExp(pattern, 'gd');
    } catch (e) {
      return fail(`invalid regular expression "${pattern}": ${(e as Error).message}`);
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  re.lastIndex = 0;
  return re;
}

function replaceGroup(s: string, re: RegExp, group: string, replacement: string): string {
  let out = '';
  let last = 0;
  for (const m of s.matchAll(re)) {
    const span = m.indices?.groups?.[group];
    if (!span) continue;
    out += s.slice(last, span[0]) + replacement;
    last = span[1];
  }
  return out + s.slice(last);
}

// .NET writes a named group as ${name} and the whole match as $0; JavaScript as $<name> and $&.
function dotNetSubstitution(replacement: string): string {
  return replacement.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, '$$<$1>').replace(/\$0/g, '$$&');
}
