/** What a PromQL expression reads: series names and label names (matchers and grouping clauses). */
export interface PromQLReferences {
  metrics: string[];
  labels: string[];
}

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'inf',
  'nan',
  'atan2',
  'start',
  'end',
]);

const GROUPING = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;
const STRING = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g;
const MATCHER_LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g;

/**
 * Extracts series and label names from a PromQL expression (Grafana variables such as `$__rate_interval` or
 * `"$namespace"` allowed). Not a full parser: enough to check a dashboard against a metrics contract, and
 * strict in the direction that matters — any bare identifier that is not a function, keyword or label counts
 * as a series name.
 */
export function promqlReferences(expression: string): PromQLReferences {
  const labels = new Set<string>();
  let rest = expression.replace(STRING, '""');
  rest = rest.replace(/\{([^}]*)\}/g, (_match, body: string) => {
    for (const [, label] of body.matchAll(MATCHER_LABEL)) if (label) labels.add(label);
    return ' ';
  });
  rest = rest.replace(GROUPING, (_match, list: string) => {
    for (const label of list.split(',').map((l) => l.trim())) if (label) labels.add(label);
    return ' ';
  });
  rest = rest.replace(/\[[^\]]*\]/g, ' ').replace(/\$\{[^}]*\}|\$[a-zA-Z_]\w*/g, ' ');

  const metrics = new Set<string>();
  for (const match of rest.matchAll(/(?<![\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const name = match[0];
    const after = rest.slice((match.index ?? 0) + name.length);
    if (/^\s*\(/.test(after) || KEYWORDS.has(name.toLowerCase())) continue;
    metrics.add(name);
  }
  return { metrics: [...metrics].sort(), labels: [...labels].sort() };
}

/** `label_values(metric, label)` / `label_values(label)` of a Grafana query variable. */
export function labelValuesReferences(query: string): PromQLReferences {
  const match = /^\s*label_values\(\s*(?:(.+?)\s*,\s*)?([a-zA-Z_]\w*)\s*\)\s*$/.exec(query);
  if (!match) return promqlReferences(query);
  const inner = match[1] ? promqlReferences(match[1]) : { metrics: [], labels: [] };
  return { metrics: inner.metrics, labels: [...new Set([...inner.labels, match[2]!])].sort() };
}
