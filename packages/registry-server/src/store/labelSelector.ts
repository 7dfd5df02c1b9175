import { QueryError } from './types.js';

/** One requirement of a Kubernetes label selector. */
export type Requirement =
  | { key: string; operator: 'exists' | 'notExists' }
  | { key: string; operator: 'in' | 'notIn'; values: string[] };

export type LabelSelector = readonly Requirement[];

const MAX_SELECTOR_LENGTH = 4096;
const MAX_REQUIREMENTS = 64;
const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VALUE = /^(([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?)$/;

function fail(message: string): never {
  throw new QueryError(`labelSelector: ${message}`, 'labelSelector');
}

function checkKey(key: string): string {
  if (key === '') fail('a requirement has no key');
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !PREFIX.test(prefix))) {
    fail(`invalid key ${JSON.stringify(key)}: the prefix must be a DNS subdomain`);
  }
  if (!NAME.test(name)) {
    fail(
      `invalid key ${JSON.stringify(key)}: a name is at most 63 characters of [A-Za-z0-9-_.], ` +
        'starting and ending with an alphanumeric character',
    );
  }
  return key;
}

function checkValue(value: string): string {
  if (!VALUE.test(value) || value.length > 63) {
    fail(
      `invalid value ${JSON.stringify(value)}: at most 63 characters of [A-Za-z0-9-_.], alphanumeric at both ends`,
    );
  }
  return value;
}

/** Splits on top-level commas (commas inside `( )` belong to a set). */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const char = selector[i];
    if (char === '(') {
      if (depth > 0) fail('nested parentheses');
      depth++;
    } else if (char === ')') {
      if (depth === 0) fail(`unexpected ")" at position ${i}`);
      depth--;
    } else if (char === ',' && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) fail('missing ")"');
  parts.push(selector.slice(start));
  return parts;
}

const SET_REQUIREMENT = /^(\S+)\s+(in|notin)\s*\((.*)\)$/s;
const EQUALITY_REQUIREMENT = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/s;

function parseRequirement(raw: string): Requirement {
  const text = raw.trim();
  if (text === '') fail('empty requirement (two commas in a row, or a trailing comma)');
  const set = SET_REQUIREMENT.exec(text);
  if (set) {
    const [, key = '', operator, list = ''] = set;
    const values = list.split(',').map((value) => checkValue(value.trim()));
    if (list.trim() === '') fail(`"${operator}" needs at least one value in the parentheses`);
    return { key: checkKey(key), operator: operator === 'in' ? 'in' : 'notIn', values };
  }
  const equality = EQUALITY_REQUIREMENT.exec(text);
  if (equality) {
    const [, key = '', operator, value = ''] = equality;
    return {
      key: checkKey(key),
      operator: operator === '!=' ? 'notIn' : 'in',
      values: [checkValue(value.trim())],
    };
  }
  if (text.startsWith('!')) return { key: checkKey(text.slice(1).trim()), operator: 'notExists' };
  if (/\s/.test(text)) {
    fail(
      `cannot parse ${JSON.stringify(text)}: expected key, !key, key=value, key!=value, key in (a,b) or key notin (a)`,
    );
  }
  return { key: checkKey(text), operator: 'exists' };
}

/**
 * Parses Kubernetes label selector syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`,
 * comma-separated (AND). Throws {@link QueryError} with a message naming the bad part.
 */
export function parseLabelSelector(selector: string): LabelSelector {
  if (selector.length > MAX_SELECTOR_LENGTH) fail(`longer than ${MAX_SELECTOR_LENGTH} characters`);
  if (selector.trim() === '') return [];
  const parts = splitRequirements(selector);
  if (parts.length > MAX_REQUIREMENTS) fail(`more than ${MAX_REQUIREMENTS} requirements`);
  return parts.map(parseRequirement);
}

/** True when `labels` satisfy every requirement (Kubernetes semantics: `!=`/`notin` also match absent keys). */
export function matchesLabelSelector(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>> = {},
): boolean {
  return selector.every((requirement) => {
    const present = Object.hasOwn(labels, requirement.key);
    switch (requirement.operator) {
      case 'exists':
        return present;
      case 'notExists':
        return !present;
      case 'in':
        return present && requirement.values.includes(labels[requirement.key]!);
      case 'notIn':
        return !present || !requirement.values.includes(labels[requirement.key]!);
    }
  });
}
