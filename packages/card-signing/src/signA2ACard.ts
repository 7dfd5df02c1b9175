import type { AgentCardSignature } from '@agent-registry/a2a-translator';
import { canonicalJson } from '@agent-registry/a2a-translator';
import type { A2AVersion } from '@agent-registry/crds';
import type { SignatureAlgorithm } from './algorithms.js';
import { jwsSignature } from './jwsSignature.js';
import { CardPayloadError, signingPayload, signingVersion } from './signingPayload.js';
import { toSigningKey, type SigningKey, type SigningKeyInput } from './signingKey.js';

export interface SignOptions {
  /** Key ID for the protected header; defaults to the key's own (a `SigningKey`'s or JWK's `kid`, else its thumbprint). */
  kid?: string;
  /** URL of the JWK Set holding the public key, put in the protected header. */
  jku?: string;
  /** Defaults to the key's `alg`, else EdDSA / ES256 / ES384 / ES512 / RS256 by key type. */
  alg?: SignatureAlgorithm;
  /** JWS Unprotected Header (not covered by the signature). */
  header?: Record<string, unknown>;
  /** Whose §8.4 rules apply; detected from the card when omitted. */
  a2aVersion?: A2AVersion;
}

export type SignedCard<C> = C & { signatures: AgentCardSignature[] };

const base64url = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64url');

/** One detached JWS (RFC 7515 Appendix F) over the base64url payload, protected header in canonical member order. */
function detachedSignature(
  encodedPayload: string,
  key: SigningKey,
  jku: string | undefined,
  header: Record<string, unknown> | undefined,
): AgentCardSignature {
  const protectedHeader = { alg: key.alg, kid: key.kid, typ: 'JOSE', ...(jku !== undefined && { jku }) };
  // RFC 8785 member order, so the same key and card always give the same `protected` bytes.
  const encodedHeader = base64url(canonicalJson(protectedHeader));
  const signingInput = Buffer.from(`${encodedHeader}.${encodedPayload}`, 'ascii');
  return {
    protected: encodedHeader,
    signature: base64url(jwsSignature(key.alg, signingInput, key.privateKey)),
    ...(header !== undefined && { header: { ...header } }),
  };
}

/**
 * `signA2ACard` for keys already loaded (`loadSigningKeys`, `toSigningKey`), synchronously: what a
 * server uses while it renders a card. One signature per key, appended to `signatures`.
 */
export function signA2ACardWithKeys<C extends object>(
  card: C,
  keys: readonly SigningKey[],
  options: Omit<SignOptions, 'kid' | 'alg'> = {},
): SignedCard<C> {
  const version = signingVersion(card, options.a2aVersion);
  const existing = (card as { signatures?: unknown }).signatures;
  if (existing !== undefined && !Array.isArray(existing))
    throw new CardPayloadError('the card\'s "signatures" member is not an array');
  const encodedPayload = base64url(signingPayload(card, version));
  const added = keys.map((key) => detachedSignature(encodedPayload, key, options.jku, options.header));
  return { ...card, signatures: [...((existing as AgentCardSignature[] | undefined) ?? []), ...added] };
}

/**
 * Signs an A2A card (0.3.0 or 1.0) as A2A §8.4 describes: JWS over the card's canonical form with
 * `signatures` left out (and, in 1.0, default values omitted), protected header `{alg, kid, typ:
 * "JOSE", jku?}`, detached payload. The signature is appended to the card's `signatures`, so
 * signing with several keys (one call with a list, or one call per key) leaves one signature per
 * key — what rotation needs. Returns a new card; the input is not modified.
 */
export async function signA2ACard<C extends object>(
  card: C,
  key: SigningKeyInput | readonly SigningKey[],
  options: SignOptions = {},
): Promise<SignedCard<C>> {
  const inputs = Array.isArray(key) ? (key as readonly SigningKey[]) : [key as SigningKeyInput];
  if (inputs.length > 1 && options.kid !== undefined)
    throw new TypeError('signA2ACard: kid names one key; give each SigningKey its own kid instead');
  signingVersion(card, options.a2aVersion); // a card that cannot be signed fails before any key work
  const keys: SigningKey[] = [];
  for (const input of inputs) keys.push(await toSigningKey(input, { kid: options.kid, alg: options.alg }));
  return signA2ACardWithKeys(card, keys, options);
}
