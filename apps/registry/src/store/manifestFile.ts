import { parseAgentCard, validateObjectMeta, type AgentCard } from '@agent-registry/crds';
import { generateAgentCard, shouldRegister, type GenerateOptions } from '@agent-registry/card-generator';
import { parseAllDocuments } from 'yaml';
import { isDnsLabel, isDnsSubdomain } from './names.js';

/** A problem in one manifest file, precise enough to fix without guessing. */
export interface ManifestProblem {
  severity: 'error' | 'warning';
  /** Path relative to the manifests directory. */
  file: string;
  /** 0-based index of the YAML document (always 0 for JSON). */
  document?: number;
  /** 0-based index inside a `kind: List`. */
  item?: number;
  /** Where in the resource, e.g. `spec.endpoints[0]`. */
  path?: string;
  message: string;
}

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

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Turns one manifest file's text into cards: AgentCards as they are, agents through the card generator. */
export function parseManifestFile(
  file: string,
  text: string,
  options: GenerateOptions = {},
): ManifestFileResult {
  const problems: ManifestProblem[] = [];
  const cards: ManifestCard[] = [];
  const documents = readDocuments(file, text, problems);
  documents.forEach((value, document) => {
    if (value === null || value === undefined) return;
    if (isObject(value) && value.kind === 'List' && Array.isArray(value.items)) {
      value.items.forEach((item, index) =>
        readResource(item, { file, document, item: index }, options, cards, problems),
      );
      return;
    }
    readResource(value, { file, document }, options, cards, problems);
  });
  return { cards, problems, failed: problems.some((problem) => problem.severity === 'error') };
}

function readDocuments(file: string, text: string, problems: ManifestProblem[]): unknown[] {
  if (file.endsWith('.json')) {
    try {
      return [JSON.parse(text)];
    } catch (error) {
      problems.push({
        severity: 'error',
        file,
        document: 0,
        message: `invalid JSON: ${(error as Error).message}`,
      });
      return [];
    }
  }
  const documents = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  const list = Array.isArray(documents) ? documents : [documents];
  if (list.length > MAX_DOCUMENTS) {
    problems.push({ severity: 'error', file, message: `more than ${MAX_DOCUMENTS} YAML documents` });
    return [];
  }
  const values: unknown[] = [];
  list.forEach((doc, document) => {
    if (doc.errors.length > 0) {
      const first = doc.errors[0];
      problems.push({
        severity: 'error',
        file,
        document,
        message: `invalid YAML: ${first?.message ?? 'unknown error'}`,
      });
      values.push(undefined);
      return;
    }
    try {
      // maxAliasCount bounds "billion laughs" alias expansion.
      values.push(doc.toJS({ maxAliasCount: 100 }));
    } catch (error) {
      problems.push({
        severity: 'error',
        file,
        document,
        message: `invalid YAML: ${(error as Error).message}`,
      });
      values.push(undefined);
    }
  });
  return values;
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
  cards: ManifestCard[],
  problems: ManifestProblem[],
): void {
  const report = (severity: ManifestProblem['severity'], message: string, path?: string): void => {
    const problem: ManifestProblem = { severity, ...where, message };
    if (path !== undefined) problem.path = path;
    problems.push(problem);
  };
  if (!isObject(value)) {
    report('error', 'a document must be a Kubernetes resource (an object with apiVersion and kind)');
    return;
  }
  const kindWithMetadata = value.kind === 'AgentCard' || value.kind === 'Agent';
  if (kindWithMetadata && rejectedByApiserver(value, where, problems)) return;
  const found = (card: AgentCard): void => {
    const placed: ManifestCard = { card, document: where.document };
    if (where.item !== undefined) placed.item = where.item;
    cards.push(placed);
  };
  if (value.kind === 'AgentCard') {
    const parsed = parseAgentCard(value);
    if (!parsed.success) {
      for (const issue of parsed.issues) report('error', issue.message, issue.path);
      return;
    }
    const card = parsed.value;
    card.metadata.namespace ||= 'default';
    if (!isDnsSubdomain(card.metadata.name)) {
      report(
        'error',
        'must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".")',
        'metadata.name',
      );
      return;
    }
    if (!isDnsLabel(card.metadata.namespace)) {
      report('error', 'must be a DNS-1123 label (lowercase letters, digits and "-")', 'metadata.namespace');
      return;
    }
    found(card);
    return;
  }
  if (value.kind === 'Agent') {
    if (!shouldRegister(value)) return; // kagent Agents opt in; opting out is not a problem.
    const { card, diagnostics } = generateAgentCard(value, options);
    for (const diagnostic of diagnostics) report(diagnostic.severity, diagnostic.reason, diagnostic.path);
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
    `unsupported resource ${JSON.stringify(value.apiVersion)}/${JSON.stringify(value.kind)}: ` +
      'expected an AgentCard (kagent.dev/v1alpha1), a kagent Agent (kagent.dev/v1alpha2), an a2a.io/v1 Agent or a v1 List',
    'kind',
  );
}

const HEALTH = new Set(['Healthy', 'Unhealthy', 'Unknown']);

/**
 * Embedded mode has no controller or prober: the card keeps the agent's labels (so label selectors
 * written for agents work; the generator's own labels win) and a health the source reports.
 */
function inheritFromSource(card: AgentCard, source: Loose): void {
  const metadata = isObject(source.metadata) ? source.metadata : {};
  if (isObject(metadata.labels)) {
    const labels = Object.fromEntries(
      Object.entries(metadata.labels).filter(([, value]) => typeof value === 'string'),
    );
    card.metadata.labels = { ...(labels as Record<string, string>), ...card.metadata.labels };
  }
  const health = isObject(source.status) ? source.status.health : undefined;
  if (card.status === undefined && typeof health === 'string' && HEALTH.has(health)) {
    card.status = { health: health as NonNullable<AgentCard['status']>['health'] };
  }
}

/**
 * Object metadata a kube-apiserver rejects (name, namespace, labels, annotation keys, 256 KiB of
 * annotations): reported in the apiserver's words (`metadata.annotations: Invalid value: "…": a
 * qualified name must …`) and the document skipped, so the embedded store and a cluster accept the
 * same files. Like the apiserver, a message echoes the offending key or value (cut after 100
 * characters) and nothing else of the file.
 */
function rejectedByApiserver(value: Loose, where: Where, problems: ManifestProblem[]): boolean {
  const issues = validateObjectMeta(value.metadata, String(value.kind));
  for (const issue of issues) {
    problems.push({ severity: 'error', ...where, path: issue.path, message: issue.message });
  }
  return issues.length > 0;
}
