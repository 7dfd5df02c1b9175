import type { Problem } from '@agent-registry/crds';
import { cloneJson, copyJson, isPlainObject, setOwn, type JsonObject } from './json.js';
import { toA2ACard, type AgentCardLike, type TranslateOptions } from './toA2ACard.js';
import type { A2ACardV03, A2ACardV1, SecuritySchemeV03, TranslationResult } from './types.js';

/**
 * One document that clients of both generations read: the A2A 1.0 card plus the 0.3 fields
 * (`url`, `preferredTransport`, `protocolVersion`, `additionalInterfaces`, `security`, the 0.3 form
 * of each security scheme and skill requirement). A 1.0 client ignores the 0.3 fields; a 0.3
 * client ignores `supportedInterfaces` and the 1.0 wrappers.
 */
export type A2ACardCompatible = A2ACardV1 &
  Pick<A2ACardV03, 'url' | 'preferredTransport' | 'protocolVersion'> &
  Partial<Pick<A2ACardV03, 'additionalInterfaces' | 'security' | 'supportsAuthenticatedExtendedCard'>>;

/** Adds what `legacy` has and `card` lacks, in place: objects key by key, lists item by item. */
function addMissing(card: JsonObject, legacy: JsonObject): void {
  for (const key of Object.keys(legacy)) {
    const ours = card[key];
    const theirs = legacy[key];
    if (!Object.hasOwn(card, key)) setOwn(card, key, cloneJson(theirs));
    else if (isPlainObject(ours) && isPlainObject(theirs)) addMissing(ours, theirs);
    else if (Array.isArray(ours) && Array.isArray(theirs)) {
      for (let index = 0; index < Math.min(ours.length, theirs.length); index++) {
        const item: unknown = ours[index];
        const legacyItem: unknown = theirs[index];
        if (isPlainObject(item) && isPlainObject(legacyItem)) addMissing(item, legacyItem);
      }
    }
  }
}

/**
 * An OAuth scheme whose only flow 0.3 cannot express (`deviceCode`) has no 0.3 form, so the merged
 * entry would lack the `type` every 0.3 client needs. Like the official Python SDK, the 0.3 side
 * states it as `{type: "oauth2", flows: {}}`: readable by 0.3 clients, the flow itself for 1.0 ones.
 */
function addOAuthWithoutLegacyFlows(current: A2ACardV1, legacyCard: A2ACardV03): void {
  const schemes = current.securitySchemes;
  if (schemes === undefined) return;
  for (const [name, scheme] of Object.entries(schemes)) {
    const legacySchemes = legacyCard.securitySchemes ?? {};
    if (!('oauth2SecurityScheme' in scheme) || Object.hasOwn(legacySchemes, name)) continue;
    const oauth = scheme.oauth2SecurityScheme;
    const legacy: SecuritySchemeV03 = { type: 'oauth2', flows: {} };
    if (oauth.oauth2MetadataUrl !== undefined) legacy.oauth2MetadataUrl = oauth.oauth2MetadataUrl;
    if (oauth.description !== undefined) legacy.description = oauth.description;
    setOwn(legacySchemes, name, legacy);
    legacyCard.securitySchemes = legacySchemes;
  }
}

/**
 * The card for a client that names no A2A version, built the way the official Python SDK's
 * server (a2a-sdk 1.x) serves its own cards: the 1.0 card with the 0.3 card's fields merged in
 * where the 1.0 card has none. Like that server, it leaves out the 0.3-only
 * `capabilities.stateTransitionHistory` and a `supportsAuthenticatedExtendedCard` that is not true,
 * and always states `preferredTransport`.
 */
export function toCompatibleA2ACard(
  agentCard: AgentCardLike,
  options: Omit<TranslateOptions, 'a2aVersion'> = {},
): TranslationResult<A2ACardCompatible> {
  const current = toA2ACard(agentCard, { ...options, a2aVersion: '1.0' });
  if (!current.ok) return current;
  const legacy = toA2ACard(agentCard, { ...options, a2aVersion: '0.3.0' });
  if (!legacy.ok) return legacy;
  const card: JsonObject = copyJson(current.card);
  const legacyCard = copyJson(legacy.card);
  delete legacyCard.capabilities.stateTransitionHistory;
  if (legacyCard.supportsAuthenticatedExtendedCard !== true)
    delete legacyCard.supportsAuthenticatedExtendedCard;
  legacyCard.preferredTransport ??= current.card.supportedInterfaces[0]?.protocolBinding ?? 'JSONRPC';
  addOAuthWithoutLegacyFlows(current.card, legacyCard);
  addMissing(card, legacyCard);
  // The same input gives mostly the same notes twice; each is kept once.
  const seen = new Set<string>();
  const warnings: Problem[] = [];
  for (const warning of [...current.warnings, ...legacy.warnings]) {
    const key = `${warning.path}\u0000${warning.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    warnings.push(warning);
  }
  // addMissing gave the 1.0 card every field of the 0.3 card it lacked: the fields A2ACardCompatible adds.
  return { ok: true, card: card as A2ACardCompatible, warnings };
}
