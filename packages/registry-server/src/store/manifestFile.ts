import {
  isDns1123Label,
  parseAgentCard,
  ROOT_PATH,
  validateObjectMeta,
  type AgentCard,
} from '@agent-registry/crds';
import {
  ANNOTATIONS,
  generateAgentCard,
  reportedHealth,
  shouldRegister,
  type GenerateOptions,
} from '@agent-registry/card-generator';
import { Lexer, parseAllDocuments, type YAMLError } from 'yaml';
import { jsonErrorOffset } from './jsonErrorOffset.js';
import { withoutContent } from './problemText.js';
import type { SourceProblem } from './types.js';

/** A problem in one manifest file, precise enough to fix without guessing (the store's SourceProblem). */
export type ManifestProblem = SourceProblem;

/** A card found in a file, with where it came from (for "first wins" among duplicates). */
export interface ManifestCard {
  card: AgentCard;
  document: number;
  item?: number;
}

export interface ManifestFileResult {
  cards: ManifestCard[];
  problems: ManifestProblem[];
  /** True when a problem has severity `error` (the caller keeps the file's last good state). */
  failed: boolean;
}

export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
/** Bigger files are refused: manifests are small, and a 1 GB file must not exhaust memory. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_DOCUMENTS = 1000;

/**
 * Bounds on what a file may turn into, checked before (depth, tokens) and after (nodes, bytes) YAML
 * anchors are expanded: a small file must not become a large object graph or card.
 */
export const MANIFEST_LIMITS = {
  /** Nesting of collections (flow `[[[...]]]` is counted before parsing). */
  depth: 64,
  /** YAML tokens in a file, counted by the lexer before anything is built. */
  tokens: 1_000_000,
  /** Values (objects, arrays, scalars) in a file after alias expansion. */
  nodes: 200_000,
  /** String bytes in a file after alias expansion. */
  expandedBytes: MAX_MANIFEST_BYTES,
  /** Alias resolutions yaml may do (its own guard against exponential expansion). */
  aliases: 100,
  /** One card, serialized, after expansion. */
  cardBytes: 256 * 1024,
} as const;

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Turns one manifest file's text into cards: AgentCards as they are, agents through the card generator. */
export function parseManifestFile(
  file: string,
  text: string,
  options: GenerateOptions = {},
): ManifestFileResult {
  return parseManifest(file, text, options).result;
}

/**
 * {@link parseManifestFile}'s result as JSON text, for a parsing thread to post: each card is
 * serialized once, for its size bound and for the text (a `JSON.stringify` of the whole result would
 * serialize every card a second time).
 */
export function parseManifestFileToJson(file: string, text: string, options: GenerateOptions = {}): string {
  const { result, cardJson } = parseManifest(file, text, options);
  const cards = result.cards.map(
    (placed, at) =>
      `{"card":${cardJson[at]},"document":${placed.document}${placed.item === undefined ? '' : `,"item":${placed.item}`}}`,
  );
  return `{"cards":[${cards.join(',')}],"problems":${JSON.stringify(result.problems)},"failed":${result.failed}}`;
}

/** The file's result, and each card's JSON (`cardJson[i]` is `JSON.stringify(result.cards[i].card)`). */
function parseManifest(
  file: string,
  text: string,
  options: GenerateOptions,
): { result: ManifestFileResult; cardJson: string[] } {
  const problems: ManifestProblem[] = [];
  const cards: ManifestCard[] = [];
  const cardJson: string[] = [];
  const placed = { cards, cardJson };
  const documents = readDocuments(file, text, problems);
  documents.forEach((value, document) => {
    if (value === null || value === undefined) return;
    if (isObject(value) && value.kind === 'List' && Array.isArray(value.items)) {
      value.items.forEach((item, index) =>
        readResource(item, { file, document, item: index }, options, placed, problems),
      );
      return;
    }
    readResource(value, { file, document }, options, placed, problems);
  });
  return {
    result: { cards, problems, failed: problems.some((problem) => problem.severity === 'error') },
    cardJson,
  };
}

function readDocuments(file: string, text: string, problems: ManifestProblem[]): unknown[] {
  const fail = (message: string, at: { document?: number; line?: number; column?: number } = {}) =>
    problems.push({ severity: 'error', file, ...at, path: ROOT_PATH, message });
  if (file.endsWith('.json')) {
    const depth = jsonDepth(text);
    if (depth > MANIFEST_LIMITS.depth) {
      fail(`nested deeper than ${MANIFEST_LIMITS.depth} levels; not parsed`, { document: 0 });
      return [];
    }
    try {
      return [checkExpanded(JSON.parse(text) as unknown)];
    } catch (error) {
      if (error instanceof LimitError) fail(error.message, { document: 0 });
      else fail('invalid JSON', { document: 0, ...jsonErrorPosition(text) });
      return [];
    }
  }
  const scan = scanYaml(text);
  if (scan) {
    fail(scan);
    return [];
  }
  const documents = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(documents) ? documents : [documents];
  if (list.length > MAX_DOCUMENTS) {
    fail(`more than ${MAX_DOCUMENTS} YAML documents`);
    return [];
  }
  const values: unknown[] = [];
  let nodes = 0;
  let bytes = 0;
  list.forEach((doc, document) => {
    if (doc.errors.length > 0) {
      fail(`invalid YAML: ${yamlRule(doc.errors[0]!)}`, {
        document,
        ...yamlPosition(text, doc.errors[0]!),
      });
      values.push(undefined);
      return;
    }
    try {
      const value = doc.toJS({ maxAliasCount: MANIFEST_LIMITS.aliases }) as unknown;
      const size = measure(value, MANIFEST_LIMITS.nodes - nodes, MANIFEST_LIMITS.expandedBytes - bytes);
      nodes += size.nodes;
      bytes += size.bytes;
      values.push(value);
    } catch (error) {
      fail(
        error instanceof LimitError ? error.message : `invalid YAML: ${ruleOf((error as Error).message)}`,
        { document },
      );
      values.push(undefined);
    }
  });
  return values;
}

/** A bound was exceeded (its message names the bound, never the content). */
class LimitError extends Error {}

/**
 * Counts the values and string bytes of a parsed document, following shared references (YAML aliases)
 * every time they occur: the size the document has once expanded. Stops as soon as a bound is passed.
 */
function measure(value: unknown, maxNodes: number, maxBytes: number): { nodes: number; bytes: number } {
  let nodes = 0;
  let bytes = 0;
  // Two parallel stacks rather than a [value, depth] pair per value: a file has ~10^5 values.
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length > 0) {
    const current = values.pop();
    const depth = depths.pop() as number;
    if (++nodes > maxNodes) {
      throw new LimitError(`more than ${MANIFEST_LIMITS.nodes} values once YAML aliases are expanded`);
    }
    if (depth > MANIFEST_LIMITS.depth) {
      throw new LimitError(`nested deeper than ${MANIFEST_LIMITS.depth} levels`);
    }
    if (typeof current === 'string') bytes += current.length;
    else if (typeof current === 'object' && current !== null) {
      if (Array.isArray(current)) {
        for (const item of current) {
          values.push(item);
          depths.push(depth + 1);
        }
      } else {
        const object = current as Loose;
        for (const key of Object.keys(object)) {
          bytes += key.length;
          values.push(object[key]);
          depths.push(depth + 1);
        }
      }
    }
    if (bytes > maxBytes) {
      throw new LimitError(
        `larger than ${MANIFEST_LIMITS.expandedBytes} bytes of text once YAML aliases are expanded`,
      );
    }
  }
  return { nodes, bytes };
}

const checkExpanded = (value: unknown): unknown => {
  measure(value, MANIFEST_LIMITS.nodes, MANIFEST_LIMITS.expandedBytes);
  return value;
};

/** Deepest `[`/`{` nesting of a JSON text (strings skipped): checked before JSON.parse builds it. */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 34) {
      // A string: jump to its closing quote (one not escaped by an odd run of backslashes).
      for (;;) {
        const close = text.indexOf('"', i + 1);
        if (close === -1) return max; // unterminated: nothing after it is structure
        let backslashes = 0;
        while (text.charCodeAt(close - 1 - backslashes) === 92) backslashes++;
        i = close;
        if (backslashes % 2 === 0) break;
      }
    } else if (code === 91 || code === 123) max = Math.max(max, ++depth);
    else if (code === 93 || code === 125) depth--;
  }
  return max;
}

/** Where the JSON text stops being JSON, as line and column. */
function jsonErrorPosition(text: string): { line?: number; column?: number } {
  const offset = jsonErrorOffset(text);
  return offset === undefined ? {} : lineColumn(text, offset);
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * One pass of yaml's lexer before anything is built: flow nesting and the token count are bounded
 * here, so `a: [[[[...]]]]` costs a scan, not a gigabyte of nodes. Returns why the text is refused.
 */
function scanYaml(text: string): string | undefined {
  let tokens = 0;
  let depth = 0;
  for (const token of new Lexer().lex(text)) {
    if (++tokens > MANIFEST_LIMITS.tokens)
      return `more than ${MANIFEST_LIMITS.tokens} YAML tokens; not parsed`;
    if (token === '[' || token === '{') {
      if (++depth > MANIFEST_LIMITS.depth)
        return `flow collections nested deeper than ${MANIFEST_LIMITS.depth} levels; not parsed`;
    } else if (token === ']' || token === '}') depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/**
 * yaml's error message without the source it quotes: the excerpt after `at line L, column C:`, and
 * what some rules append after a colon (`Could not resolve tag: !x`, `...extra characters: >x`).
 */
function yamlRule(error: YAMLError): string {
  return `${ruleOf(error.message)} (${error.code})`;
}

const ruleOf = (message: string): string =>
  withoutContent((message.split(/ at line \d+/)[0] ?? '').split(': ')[0] ?? '');

function yamlPosition(text: string, error: YAMLError): { line?: number; column?: number } {
  if (error.linePos) return { line: error.linePos[0].line, column: error.linePos[0].col };
  return lineColumn(text, error.pos[0]);
}

interface Where {
  file: string;
  document: number;
  item?: number;
}

function readResource(
  value: unknown,
  where: Where,
  options: GenerateOptions,
  placed: { cards: ManifestCard[]; cardJson: string[] },
  problems: ManifestProblem[],
): void {
  const namespace = namespaceOf(value);
  const report = (severity: ManifestProblem['severity'], message: string, path = ROOT_PATH): void => {
    const problem: ManifestProblem = { severity, ...where, path, message: withoutContent(message) };
    if (namespace !== undefined) problem.namespace = namespace;
    problems.push(problem);
  };
  if (!isObject(value)) {
    report('error', 'a document must be a Kubernetes resource (an object with apiVersion and kind)');
    return;
  }
  const kindWithMetadata = value.kind === 'AgentCard' || value.kind === 'Agent';
  if (kindWithMetadata && rejectedByApiserver(value, where, namespace, problems)) return;
  const found = (card: AgentCard): void => {
    // Limits of each field hold, but anchors can repeat an allowed field many times: bound the whole.
    const json = JSON.stringify(card);
    if (Buffer.byteLength(json) > MANIFEST_LIMITS.cardBytes) {
      report('error', `the card is larger than ${MANIFEST_LIMITS.cardBytes} bytes once expanded`);
      return;
    }
    const entry: ManifestCard = { card, document: where.document };
    if (where.item !== undefined) entry.item = where.item;
    placed.cards.push(entry);
    placed.cardJson.push(json);
  };
  if (value.kind === 'AgentCard') {
    const parsed = parseAgentCard(value);
    if (!parsed.ok) {
      for (const issue of parsed.issues) report('error', issue.message, issue.path);
      return;
    }
    const card = parsed.value;
    // Name and namespace were checked with the rest of the metadata (rejectedByApiserver).
    card.metadata.namespace ||= 'default';
    found(card);
    return;
  }
  if (value.kind === 'Agent') {
    if (!shouldRegister(value)) return; // kagent Agents opt in; opting out is not a problem.
    const { card, diagnostics } = generateAgentCard(value, options);
    for (const diagnostic of diagnostics) report(diagnostic.severity, diagnostic.message, diagnostic.path);
    if (card) {
      card.metadata.namespace ||= 'default';
      inheritFromSource(card, value);
      found(card);
    } else if (!diagnostics.some((diagnostic) => diagnostic.severity === 'error')) {
      report('error', 'the card generator produced no card');
    }
    return;
  }
  report(
    'error',
    'unsupported apiVersion/kind: ' +
      'expected an AgentCard (kagent.dev/v1alpha1), a kagent Agent (kagent.dev/v1alpha2), an a2a.io/v1 Agent or a v1 List',
    'kind',
  );
}

/** The resource's namespace when it is a valid name (AgentCards default to `default`). */
function namespaceOf(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const metadata = isObject(value.metadata) ? value.metadata : {};
  const namespace =
    metadata.namespace ?? (value.kind === 'AgentCard' || value.kind === 'Agent' ? 'default' : undefined);
  return typeof namespace === 'string' && isDns1123Label(namespace) ? namespace : undefined;
}

/**
 * The card generator's policy of what a card inherits from its agent, as the controller applies it:
 * the agent's labels (already on the generated card) and the health the agent reports, which stays
 * here since embedded mode has no prober.
 */
function inheritFromSource(card: AgentCard, source: Loose): void {
  const health = reportedHealth(source);
  if (card.status === undefined && health !== undefined) card.status = { health };
}

/**
 * Object metadata a kube-apiserver rejects (name, namespace, labels, annotation keys, 256 KiB of
 * annotations): reported in the apiserver's words (`metadata.annotations: Invalid value: "…": a
 * qualified name must …`) and the document skipped, so the embedded store and a cluster accept the
 * same files. Like the apiserver, a message echoes the offending key or value (cut after 100
 * characters) and nothing else of the file.
 */
function rejectedByApiserver(
  value: Loose,
  where: Where,
  namespace: string | undefined,
  problems: ManifestProblem[],
): boolean {
  const issues = validateObjectMeta(value.metadata, String(value.kind));
  for (const issue of issues) {
    const problem: ManifestProblem = {
      severity: 'error',
      ...where,
      path: issue.path,
      message: issue.message,
    };
    if (namespace !== undefined) problem.namespace = namespace;
    problems.push(problem);
  }
  if (issues.length > 0 && value.kind === 'Agent') {
    // For the old `kagent.dev/card-metadata/<key>` form the card generator names what to write instead.
    for (const diagnostic of generateAgentCard(value).diagnostics) {
      if (!diagnostic.annotation?.startsWith(ANNOTATIONS.invalidCardMetadataPrefix)) continue;
      const problem: ManifestProblem = {
        severity: 'error',
        ...where,
        path: diagnostic.path,
        message: diagnostic.message,
      };
      if (namespace !== undefined) problem.namespace = namespace;
      problems.push(problem);
    }
  }
  return issues.length > 0;
}
