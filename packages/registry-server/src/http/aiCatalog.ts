import { namespaceOf, type AgentCard } from '@agent-registry/crds';
import * as v from 'valibot';
import { wellKnownPath } from '../a2aRenderer.js';

/**
 * The registry's AI Catalog (the `Agent-Card/ai-catalog` draft, spec version 1.0, Level 2): one entry
 * per visible AgentCard, pointing at its well-known A2A card. Choices where the draft leaves room or
 * changed between revisions are documented in the registry's README ("AI Catalog").
 */
export const AI_CATALOG_MEDIA_TYPE = 'application/ai-catalog+json';
export const A2A_AGENT_CARD_MEDIA_TYPE = 'application/a2a-agent-card+json';
export const AI_CATALOG_SPEC_VERSION = '1.0';
export const AI_CATALOG_PATH = '/.well-known/ai-catalog.json';

export const AiCatalogEntrySchema = v.object({
  /** `urn:agent-registry:{namespace}:{name}`: stable across versions and hosts, under the registry's control. */
  identifier: v.string(),
  displayName: v.string(),
  /** The draft's field for the artifact's media type ... */
  mediaType: v.literal(A2A_AGENT_CARD_MEDIA_TYPE),
  /** ... and its later name for the same; both are sent so readers of either revision understand the entry. */
  type: v.literal(A2A_AGENT_CARD_MEDIA_TYPE),
  /** The agent's card at the registry's well-known URL for it. */
  url: v.string(),
  version: v.string(),
  description: v.optional(v.string()),
  tags: v.optional(v.array(v.string())),
});
export type AiCatalogEntry = v.InferOutput<typeof AiCatalogEntrySchema>;

export const AiCatalogSchema = v.object({
  specVersion: v.literal(AI_CATALOG_SPEC_VERSION),
  host: v.object({ displayName: v.string() }),
  entries: v.array(AiCatalogEntrySchema),
});
export type AiCatalog = v.InferOutput<typeof AiCatalogSchema>;

export const catalogIdentifierOf = (namespace: string, name: string): string =>
  `urn:agent-registry:${namespace}:${name}`;

/** What the entry takes from the card's rendered A2A document (the one source of its name and version). */
export interface RenderedFields {
  name?: unknown;
  version?: unknown;
  description?: unknown;
  skills?: unknown;
}

function tagsOf(skills: unknown): string[] {
  if (!Array.isArray(skills)) return [];
  const tags = new Set<string>();
  for (const skill of skills as { tags?: unknown }[]) {
    if (!Array.isArray(skill?.tags)) continue;
    for (const tag of skill.tags) if (typeof tag === 'string') tags.add(tag);
  }
  return [...tags].sort();
}

/**
 * One catalog entry. `base` is the registry's public base URL; a base on the reserved `.invalid`
 * domain (RFC 6761: no trusted public origin is known) yields a URL relative to the registry.
 */
export function aiCatalogEntryOf(card: AgentCard, rendered: RenderedFields, base: string): AiCatalogEntry {
  const namespace = namespaceOf(card);
  const name = card.metadata.name;
  const path = wellKnownPath(namespace, name);
  const entry: AiCatalogEntry = {
    identifier: catalogIdentifierOf(namespace, name),
    displayName: typeof rendered.name === 'string' && rendered.name !== '' ? rendered.name : name,
    mediaType: A2A_AGENT_CARD_MEDIA_TYPE,
    type: A2A_AGENT_CARD_MEDIA_TYPE,
    url: isReservedBase(base) ? path : `${base.replace(/\/+$/, '')}${path}`,
    version: typeof rendered.version === 'string' ? rendered.version : '',
  };
  if (typeof rendered.description === 'string' && rendered.description !== '') {
    entry.description = rendered.description;
  }
  const tags = tagsOf(rendered.skills);
  if (tags.length > 0) entry.tags = tags;
  return entry;
}

function isReservedBase(base: string): boolean {
  try {
    const host = new URL(base).hostname;
    return host === 'invalid' || host.endsWith('.invalid');
  } catch {
    return true;
  }
}
