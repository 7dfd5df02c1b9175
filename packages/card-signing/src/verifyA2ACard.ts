import type { A2AVersion } from '@agent-registry/crds';
import {
  base64url,
  errors,
  flattenedVerify,
  importJWK,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import {
  algorithmFitsKey,
  isSignatureAlgorithm,
  SIGNATURE_ALGORITHMS,
  type SignatureAlgorithm,
} from './algorithms.js';
import { publicJwk } from './publicJwk.js';
import { CardPayloadError, signingPayload, signingVersion } from './signingPayload.js';

/** Why a signature did not verify. */
export type SignatureFailure = 'unknown-key' | 'bad-signature' | 'algorithm-not-allowed' | 'malformed';

interface CheckBase {
  /** Position in the card's `signatures` array. */
  index: number;
  /** From the protected header, when it could be read. */
  kid?: string;
  alg?: string;
  jku?: string;
}

export type SignatureCheck =
  | (CheckBase & { verified: true })
  | (CheckBase & { verified: false; reason: SignatureFailure; message: string });

export interface CardVerification {
  /** At least one signature verified against a trusted key. */
  verified: boolean;
  /** The card carries at least one signature entry. */
  signed: boolean;
  /** Key IDs whose signatures verified, in `signatures` order. */
  verifiedKids: string[];
  /** One entry per element of `signatures`. */
  checks: SignatureCheck[];
  /** The rules the card was canonicalised under, when they could be told. */
  a2aVersion?: A2AVersion;
  /** Set when no signature could be checked at all (not an object, `signatures` not an array, no canonical form). */
  problem?: string;
}

export interface VerifyOptions {
  /** Algorithms to accept; defaults to every asymmetric one in `SIGNATURE_ALGORITHMS`. `none` and HMAC never pass. */
  algorithms?: readonly SignatureAlgorithm[];
  /** Whose §8.4 rules apply; detected from the card when omitted. */
  a2aVersion?: A2AVersion;
}

/** Trusted public keys: a JWK Set, or a list of JWKs. Private members are ignored. */
export type VerificationKeys = JSONWebKeySet | readonly JWK[];

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const imported = new WeakMap<JWK, Map<string, Promise<CryptoKey | Uint8Array>>>();

/** Imported keys are kept per JWK object, so a long-lived key set is imported once per algorithm. */
function importedKey(jwk: JWK, alg: SignatureAlgorithm): Promise<CryptoKey | Uint8Array> {
  let byAlg = imported.get(jwk);
  if (!byAlg) imported.set(jwk, (byAlg = new Map()));
  let key = byAlg.get(alg);
  if (!key) {
    const pub = publicJwk(jwk) ?? {};
    const { alg: _alg, use: _use, key_ops: _ops, ...material } = pub;
    key = importJWK({ ...material, ext: true }, alg);
    byAlg.set(alg, key);
  }
  return key;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function readProtectedHeader(encoded: string): Record<string, unknown> | undefined {
  try {
    const header: unknown = JSON.parse(decoder.decode(base64url.decode(encoded)));
    return isObject(header) ? header : undefined;
  } catch {
    return undefined;
  }
}

/** A key may sign when nothing about it says otherwise (`use`, `key_ops`, `alg`). */
function usableFor(jwk: JWK, alg: SignatureAlgorithm): boolean {
  if (jwk.use !== undefined && jwk.use !== 'sig') return false;
  if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes('verify')) return false;
  if (jwk.alg !== undefined && jwk.alg !== alg) return false;
  return algorithmFitsKey(alg, jwk);
}

async function checkSignature(
  entry: unknown,
  index: number,
  payload: string,
  keys: readonly JWK[],
  algorithms: readonly SignatureAlgorithm[],
): Promise<SignatureCheck> {
  const fail = (reason: SignatureFailure, message: string, base: CheckBase = { index }): SignatureCheck => ({
    ...base,
    verified: false,
    reason,
    message: `signatures[${index}]: ${message}`,
  });
  if (!isObject(entry)) return fail('malformed', 'not a JSON object');
  const { protected: encoded, signature, header } = entry;
  if (typeof encoded !== 'string' || encoded.length === 0)
    return fail('malformed', '"protected" must be a non-empty string');
  if (typeof signature !== 'string' || signature.length === 0)
    return fail('malformed', '"signature" must be a non-empty string');
  if (header !== undefined && !isObject(header)) return fail('malformed', '"header" must be a JSON object');
  const decoded = readProtectedHeader(encoded);
  if (!decoded) return fail('malformed', '"protected" is not a base64url-encoded JSON object');
  const { alg, kid, jku } = decoded;
  const base: CheckBase = {
    index,
    ...(typeof kid === 'string' && { kid }),
    ...(typeof alg === 'string' && { alg }),
    ...(typeof jku === 'string' && { jku }),
  };
  if (typeof alg !== 'string' || alg.length === 0)
    return fail('malformed', 'the protected header has no "alg"', base);
  if (!isSignatureAlgorithm(alg) || !algorithms.includes(alg))
    return fail('algorithm-not-allowed', `algorithm ${JSON.stringify(alg)} is not allowed`, base);
  if (typeof kid !== 'string' || kid.length === 0)
    return fail('malformed', 'the protected header has no "kid"', base);
  const candidates = keys.filter((jwk) => jwk.kid === kid);
  if (candidates.length === 0)
    return fail('unknown-key', `no trusted key has kid ${JSON.stringify(kid)}`, base);
  const usable = candidates.filter((jwk) => usableFor(jwk, alg));
  if (usable.length === 0)
    return fail(
      'algorithm-not-allowed',
      `algorithm ${alg} does not fit the key ${JSON.stringify(kid)}`,
      base,
    );
  const jws = { payload, protected: encoded, signature, ...(header !== undefined && { header }) };
  let failure: SignatureCheck | undefined;
  for (const jwk of usable) {
    let key: CryptoKey | Uint8Array;
    try {
      key = await importedKey(jwk, alg);
    } catch {
      failure = fail(
        'unknown-key',
        `the trusted key ${JSON.stringify(kid)} is not a usable ${alg} key`,
        base,
      );
      continue;
    }
    try {
      await flattenedVerify(jws, key, { algorithms: [alg] });
      return { ...base, verified: true };
    } catch (error) {
      failure =
        error instanceof errors.JWSSignatureVerificationFailed
          ? fail(
              'bad-signature',
              `the signature does not match the card for key ${JSON.stringify(kid)}`,
              base,
            )
          : fail('malformed', `not a valid JWS (${(error as Error).name})`, base);
    }
  }
  return failure ?? fail('bad-signature', 'no key verified the signature', base);
}

/**
 * Verifies every signature of an A2A card (0.3.0 or 1.0) against trusted public keys, per A2A
 * §8.4.3: canonical form as `signatures` were made over, key looked up by `kid` in the protected
 * header. Never throws for a hostile card: each signature gets a check saying whether it verified,
 * with which `kid`, and otherwise why not (unknown key, bad signature, algorithm not allowed,
 * malformed). A `jku` in the header is reported, never fetched: trust comes from `keys`.
 */
export async function verifyA2ACard(
  card: unknown,
  keys: VerificationKeys,
  options: VerifyOptions = {},
): Promise<CardVerification> {
  const algorithms = (options.algorithms ?? SIGNATURE_ALGORITHMS).filter(isSignatureAlgorithm);
  const listed: unknown = Array.isArray(keys) ? keys : (keys as JSONWebKeySet | undefined)?.keys;
  // A hostile or broken key set trusts nothing rather than throwing.
  const trusted = (Array.isArray(listed) ? listed : []).filter(isObject) as JWK[];
  const unverified = (problem: string, extra: Partial<CardVerification> = {}): CardVerification => ({
    verified: false,
    signed: false,
    verifiedKids: [],
    checks: [],
    problem,
    ...extra,
  });
  if (!isObject(card)) return unverified('the card is not a JSON object');
  const signatures = card.signatures;
  if (signatures === undefined) return { verified: false, signed: false, verifiedKids: [], checks: [] };
  if (!Array.isArray(signatures)) return unverified('"signatures" is not an array');
  let version: A2AVersion;
  let payload: string;
  try {
    version = signingVersion(card, options.a2aVersion);
    payload = base64url.encode(encoder.encode(signingPayload(card, version)));
  } catch (error) {
    if (!(error instanceof CardPayloadError)) throw error;
    return unverified(error.message, { signed: signatures.length > 0 });
  }
  const checks = await Promise.all(
    signatures.map((entry, index) => checkSignature(entry, index, payload, trusted, algorithms)),
  );
  const verifiedKids = checks.flatMap((check) => (check.verified && check.kid ? [check.kid] : []));
  return {
    verified: verifiedKids.length > 0,
    signed: signatures.length > 0,
    verifiedKids,
    checks,
    a2aVersion: version,
  };
}
