import type { A2AVersion, AgentCardSpec } from '@agent-registry/crds';
import { toCompatibleA2ACard, type A2ACardCompatible } from './compatibleCard.js';
import { detectA2AVersion } from './detect.js';
import { fromA2ACard } from './fromA2ACard.js';
import { isPlainObject, type JsonObject } from './json.js';
import { toA2ACard, type AgentCardLike } from './toA2ACard.js';
import type { A2ACard, TranslationResult } from './types.js';
import { validateA2ACard } from './validate.js';

/**
 * An AgentCard resource as the card view reads it: identity and spec. The namespace defaults to
 * `default`, as Kubernetes tooling reads a missing one.
 */
export interface ViewedCard {
  metadata: { name: string; namespace?: string };
  spec: AgentCardLike['spec'] & { publicCard?: Record<string, unknown>; contentHash?: string };
}

export interface CardViewOptions {
  /**
   * The A2A version asked for (see `parseA2AVersion` in `@agent-registry/crds`); `undefined` — none
   * named — gives the card clients of both generations read (see {@link toCompatibleA2ACard}).
   */
  version?: A2AVersion;
  /**
   * The registry's own origin (`https://registry.example`), which the registry decides (its public
   * URL, else an allowed Host); `undefined` = no trusted origin. It only matters for a card without
   * an endpoint, whose URL is then `<registryUrl>/agents/{ns}/{name}`, or that path alone.
   */
  registryUrl?: string;
}

/** Where the document came from: the owner's stored card as is, rendered from it, or from the spec. */
export type CardViewSource = 'publicCard' | 'fromPublicCard' | 'spec';

export interface CardView {
  /** The A2A document every surface serves (REST, well-known, MCP tools and resources). */
  card: JsonObject;
  /** The version of `card`; `undefined` for the card both generations read. */
  version: A2AVersion | undefined;
  source: CardViewSource;
  /** What the translation had to drop or assume, as `path: message`. */
  warnings: string[];
}

/** A skill as every reader sees it: the skills of the card's A2A document. */
export interface CardSkill {
  id: string;
  name: string;
  description?: string;
  tags: string[];
}

/** Stands in for the registry's origin when none is trusted; rendered away as relative URLs. */
const RELATIVE_BASE = 'http://agent-registry.invalid';

const namespaceOf = (card: ViewedCard): string => card.metadata.namespace || 'default';

/** The registry path an agent's documents live under: the URL of a card without endpoints. */
export const agentPath = (namespace: string, name: string): string =>
  `/agents/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;

/** The registry path of an agent's A2A card (A2A's well-known URL). */
export const wellKnownPath = (namespace: string, name: string): string =>
  `${agentPath(namespace, name)}/.well-known/agent-card.json`;

/** The registry URL of an agent's documents (`registryUrl` undefined: the path alone). */
export const agentUrl = (registryUrl: string | undefined, namespace: string, name: string): string =>
  `${(registryUrl ?? '').replace(/\/+$/, '')}${agentPath(namespace, name)}`;

interface Source {
  /** The stored card when it is a valid A2A card, with its version. */
  stored?: { json: A2ACard; version: A2AVersion };
  /** What another version (or the card for both generations) is rendered from. */
  like(): AgentCardLike;
}

/** Cards are replaced, not mutated, by every store: what a card is rendered from is memoized by identity. */
const sources = new WeakMap<object, Source>();

/**
 * What the A2A document is rendered from: the owner's stored `spec.publicCard` when it is a valid
 * A2A card (imported with the translator for another version, so nothing the owner published —
 * name, security schemes, extra interfaces — is lost), else the spec itself. Signatures sign the
 * stored document only: a rendering that is not that document carries none.
 */
function sourceOf(card: ViewedCard): Source {
  let source = sources.get(card);
  if (!source) sources.set(card, (source = readSource(card)));
  return source;
}

function readSource(card: ViewedCard): Source {
  let source: Source = { like: () => card };
  const stored = card.spec.publicCard;
  if (stored !== undefined) {
    const version = detectA2AVersion(stored);
    const validation = version === undefined ? undefined : validateA2ACard(stored, version);
    if (validation?.ok) {
      let imported: AgentCardLike | undefined;
      source = {
        stored: { json: validation.card, version: validation.version },
        like() {
          if (imported) return imported;
          const result = fromA2ACard(stored);
          if (!result.ok) return (imported = card);
          const metadata = { ...result.spec.metadata };
          delete metadata.signatures;
          const spec: AgentCardSpec = { ...result.spec, metadata };
          return (imported = { metadata: { name: card.metadata.name, namespace: namespaceOf(card) }, spec });
        },
      };
    }
  }
  return source;
}

/**
 * The one view of a card that every reader of the registry shares. The policy:
 * - **Version**: the one asked for; none named gives the 1.0 card with the 0.3 fields, which
 *   clients of both generations read.
 * - **Stored `spec.publicCard`**: authoritative when it is a valid A2A card. Asked for in its own
 *   version, it is served as stored, byte for byte what the owner published (signatures included);
 *   in the other version or with none named, it is rendered from the stored card (without its
 *   signatures, which would not verify). An invalid stored card is ignored and the spec translated.
 * - **URL**: the agent's own endpoint; a card without one gets the registry's
 *   `<registryUrl>/agents/{ns}/{name}`, or that path alone when no origin is trusted.
 */
export function viewCard(card: ViewedCard, options: CardViewOptions = {}): CardView {
  return renderView(card, sourceOf(card), options);
}

function renderView(card: ViewedCard, source: Source, options: CardViewOptions): CardView {
  const { version, registryUrl } = options;
  if (source.stored && version === source.stored.version) {
    return { card: source.stored.json, version, source: 'publicCard', warnings: [] };
  }
  const like = source.like();
  const hasEndpoint = (like.spec.endpoints?.length ?? 0) > 0;
  const base = registryUrl?.replace(/\/+$/, '') || RELATIVE_BASE;
  const translateOptions = hasEndpoint
    ? {}
    : { baseUrl: agentUrl(base, namespaceOf(card), card.metadata.name) };
  const result: TranslationResult<A2ACard | A2ACardCompatible> =
    version === undefined
      ? toCompatibleA2ACard(like, translateOptions)
      : toA2ACard(like, { ...translateOptions, a2aVersion: version });
  if (!result.ok) {
    // A card without endpoints gets the registry's URL, so only a nameless card gets here.
    const reasons = result.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    throw new Error(`agent ${namespaceOf(card)}/${card.metadata.name} has no valid A2A card: ${reasons}`);
  }
  let rendered: JsonObject = result.card;
  if (!hasEndpoint && base === RELATIVE_BASE) {
    const relative: unknown = JSON.parse(JSON.stringify(rendered).replaceAll(`"${RELATIVE_BASE}/`, '"/'));
    if (isPlainObject(relative)) rendered = relative;
  }
  const warnings = result.warnings.map((warning) => `${warning.path}: ${warning.message}`);
  const storedSignatures = source.stored?.json.signatures;
  if (Array.isArray(storedSignatures) && storedSignatures.length > 0) {
    warnings.push(
      "signatures: dropped: the publisher's signatures sign the stored card, and this card is not that one",
    );
  }
  return {
    card: rendered,
    version,
    source: like === card ? 'spec' : 'fromPublicCard',
    warnings,
  };
}

/** The skills of an A2A document, read defensively (the document is open JSON). */
export function skillsOfDocument(a2a: Record<string, unknown>): CardSkill[] {
  if (!Array.isArray(a2a.skills)) return [];
  return a2a.skills.flatMap((skill: unknown): CardSkill[] => {
    if (!isPlainObject(skill) || typeof skill.id !== 'string') return [];
    return [
      {
        id: skill.id,
        name: typeof skill.name === 'string' ? skill.name : skill.id,
        ...(typeof skill.description === 'string' ? { description: skill.description } : {}),
        tags: Array.isArray(skill.tags)
          ? skill.tags.filter((tag): tag is string => typeof tag === 'string')
          : [],
      },
    ];
  });
}

/** What a card shows whatever the version asked for: its A2A document's skills, description and name. */
export interface CardSummary {
  skills: CardSkill[];
  /** `''` when the document has none. */
  description: string;
  displayName: string;
}

/** Cards are replaced, not mutated, by every store: what a card shows is memoized by identity. */
const summaries = new WeakMap<object, CardSummary>();

function summaryOf(card: ViewedCard): CardSummary {
  let summary = summaries.get(card);
  if (!summary) summaries.set(card, (summary = summarize(card, sourceOf(card))));
  return summary;
}

/**
 * {@link cardSkillsOf}, {@link cardDescriptionOf} and {@link cardDisplayNameOf} at once, worked out
 * afresh (a rendering of the card) and remembered nowhere: for a caller that keeps what it needs of
 * many cards itself, which the memo's table (and what it holds a card) would only add to.
 */
export const freshCardSummary = (card: ViewedCard): CardSummary => summarize(card, readSource(card));

function summarize(card: ViewedCard, source: Source): CardSummary {
  // Skills, description and name do not depend on the version or URL: the stored card says them
  // when it is served, else the 1.0 form without a registry origin.
  let a2a: JsonObject;
  try {
    a2a = source.stored?.json ?? renderView(card, source, { version: '1.0' }).card;
  } catch {
    a2a = {};
  }
  return {
    skills: skillsOfDocument(a2a),
    description: typeof a2a.description === 'string' ? a2a.description : '',
    displayName: typeof a2a.name === 'string' ? a2a.name : '',
  };
}

/**
 * The card's skills as every reader sees them — the skills of its A2A document, whatever the
 * source (typed skills, capability strings, a stored public card): REST search and its `skill`
 * filter, MCP `list_skills` and `search_agents`, and the catalog.
 */
export const cardSkillsOf = (card: ViewedCard): CardSkill[] => summaryOf(card).skills;

/** The card's description as its A2A document states it (`''` when it has none). */
export const cardDescriptionOf = (card: ViewedCard): string => summaryOf(card).description;

/** The card's display name as its A2A document states it. */
export const cardDisplayNameOf = (card: ViewedCard): string => summaryOf(card).displayName;
