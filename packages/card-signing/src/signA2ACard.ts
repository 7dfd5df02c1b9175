import type { AgentCardSignature } from '@agent-registry/a2a-translator';
import { canonicalJson } from '@agent-registry/a2a-translator';
import type { A2AVersion } from '@agent-registry/crds';
import { FlattenedSign } from 'jose';
import type { SignatureAlgorithm } from './algorithms.js';
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

const encoder = new TextEncoder();

/** One detached JWS (RFC 7515 Appendix F) over `payload`, protected header in canonical member order. */
async function detachedSignature(
  payload: Uint8Array,
  key: SigningKey,
  jku: string | undefined,
  header: Record<string, unknown> | undefined,
): Promise<AgentCardSignature> {
  const protectedHeader = { alg: key.alg, kid: key.kid, typ: 'JOSE', ...(jku !== undefined && { jku }) };
  // Members in RFC 8785 order, so the same key and card always give the same `protected` bytes.
  const sign = new FlattenedSign(payload).setProtectedHeader(JSON.parse(canonicalJson(protectedHeader)));
  if (header) sign.setUnprotectedHeader(header);
  const jws = await sign.sign(key.privateKey);
  return {
    protected: jws.protected ?? '',
    signature: jws.signature,
    ...(jws.header !== undefined && { header: jws.header as Record<string, unknown> }),
  };
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
  const version = signingVersion(card, options.a2aVersion);
  const existing = (card as { signatures?: unknown }).signatures;
  if (existing !== undefined && !Array.isArray(existing))
    throw new CardPayloadError('the card\'s "signatures" member is not an array');
  const keys = Array.isArray(key) ? (key as readonly SigningKey[]) : [key as SigningKeyInput];
  if (keys.length > 1 && options.kid !== undefined)
    throw new TypeError('signA2ACard: kid names one key; give each SigningKey its own kid instead');
  const payload = encoder.encode(signingPayload(card, version));
  const added: AgentCardSignature[] = [];
  for (const input of keys) {
    const signingKey = await toSigningKey(input, { kid: options.kid, alg: options.alg });
    added.push(await detachedSignature(payload, signingKey, options.jku, options.header));
  }
  return { ...card, signatures: [...((existing as AgentCardSignature[] | undefined) ?? []), ...added] };
}
