import { canonicalJson, detectA2AVersion } from '@agent-registry/a2a-translator';
import type { A2AVersion } from '@agent-registry/crds';
import { omitDefaultValuesV1 } from './defaultValuesV1.js';

/** A card's JSON object could not be turned into a signing payload; the message says why, never quoting it. */
export class CardPayloadError extends Error {
  override name = 'CardPayloadError';
}

/** Which A2A version's rules a card is signed under: the caller's choice, else what the card says. */
export function signingVersion(card: unknown, a2aVersion: A2AVersion | undefined): A2AVersion {
  if (typeof card !== 'object' || card === null || Array.isArray(card))
    throw new CardPayloadError('the card is not a JSON object');
  const version = a2aVersion ?? detectA2AVersion(card);
  if (!version)
    throw new CardPayloadError(
      'cannot tell the A2A version of the card (no protocolVersion, supportedInterfaces or url): pass a2aVersion',
    );
  return version;
}

/**
 * The JWS payload a card's signatures cover (A2A §8.4.1): the card without its `signatures` member,
 * in RFC 8785 canonical form. Under 1.0, members holding Protocol Buffer default values are left
 * out first (rule 1). A2A 0.3.0 defines the `signatures` member and its JWS shape but no
 * default-value rule (its cards are JSON-schema documents, not ProtoJSON), so a 0.3 card is signed
 * as it stands, minus `signatures`.
 */
export function signingPayload(card: unknown, a2aVersion?: A2AVersion): string {
  const version = signingVersion(card, a2aVersion);
  const { signatures: _signatures, ...unsigned } = card as Record<string, unknown>;
  const prepared = version === '1.0' ? omitDefaultValuesV1(unsigned) : unsigned;
  try {
    return canonicalJson(prepared);
  } catch (error) {
    throw new CardPayloadError(`the card has no canonical JSON form: ${(error as Error).message}`);
  }
}
