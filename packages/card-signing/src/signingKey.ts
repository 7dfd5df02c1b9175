import { createPrivateKey, createPublicKey, KeyObject, type JsonWebKey, type webcrypto } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import {
  algorithmFitsKey,
  defaultAlgorithm,
  isSignatureAlgorithm,
  type SignatureAlgorithm,
} from './algorithms.js';
import { publicJwk } from './publicJwk.js';

/** A private key ready to sign cards, with the public JWK verifiers will look it up by. */
export interface SigningKey {
  readonly kid: string;
  readonly alg: SignatureAlgorithm;
  readonly privateKey: KeyObject;
  /** Public members only, with `kid`, `alg` and `use: "sig"`: what `/.well-known/jwks.json` publishes. */
  readonly publicJwk: JWK;
}

/** What `signA2ACard` accepts as a key: a loaded `SigningKey`, a private JWK, a PEM string, a KeyObject or a CryptoKey. */
export type SigningKeyInput = SigningKey | JWK | string | KeyObject | webcrypto.CryptoKey;

/** A key that cannot sign cards; the message names the key's source, never its content. */
export class SigningKeyError extends Error {
  override name = 'SigningKeyError';
}

export const isSigningKey = (value: unknown): value is SigningKey =>
  typeof value === 'object' &&
  value !== null &&
  (value as SigningKey).privateKey instanceof KeyObject &&
  typeof (value as SigningKey).kid === 'string';

function privateKeyObject(input: Exclude<SigningKeyInput, SigningKey>, source: string): KeyObject {
  if (input instanceof KeyObject) return input;
  if (typeof input === 'string') {
    try {
      return createPrivateKey(input);
    } catch {
      throw new SigningKeyError(`${source}: not a PEM private key (PKCS#8, SEC1 or PKCS#1)`);
    }
  }
  if (Object.prototype.toString.call(input) === '[object CryptoKey]') {
    return KeyObject.from(input as webcrypto.CryptoKey);
  }
  const jwk = input as JWK;
  if (jwk.kty === 'oct')
    throw new SigningKeyError(`${source}: a symmetric (oct) key cannot sign cards: HMAC is refused`);
  if (typeof jwk.d !== 'string') throw new SigningKeyError(`${source}: the JWK has no private part ("d")`);
  try {
    return createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } catch {
    throw new SigningKeyError(`${source}: not a usable private JWK (kty ${JSON.stringify(jwk.kty)})`);
  }
}

/**
 * A `SigningKey` from any accepted input. `kid` defaults to the JWK's own `kid`, else its RFC 7638
 * thumbprint (stable across restarts and replicas); `alg` to the JWK's `alg`, else the key type's
 * usual algorithm (EdDSA, ES256/384/512 by curve, RS256). HMAC and `none` are refused.
 */
export async function toSigningKey(
  input: SigningKeyInput,
  { kid, alg, source = 'signing key' }: { kid?: string; alg?: string; source?: string } = {},
): Promise<SigningKey> {
  if (isSigningKey(input) && kid === undefined && alg === undefined) return input;
  const privateKey = privateKeyObject(isSigningKey(input) ? input.privateKey : input, source);
  if (privateKey.type !== 'private')
    throw new SigningKeyError(
      privateKey.type === 'secret'
        ? `${source}: a secret key cannot sign cards: HMAC is refused`
        : `${source}: a public key cannot sign: give the private key`,
    );
  const own = isSigningKey(input)
    ? input.publicJwk
    : typeof input === 'object' && !(input instanceof KeyObject) && 'kty' in input
      ? (input as JWK)
      : undefined;
  const exported = publicJwk(createPublicKey(privateKey).export({ format: 'jwk' }) as JWK);
  if (!exported) throw new SigningKeyError(`${source}: unsupported key type`);
  const requested = alg ?? own?.alg ?? defaultAlgorithm(exported);
  if (requested === undefined)
    throw new SigningKeyError(
      `${source}: unsupported key type ${exported.kty}${exported.crv ? ` (${exported.crv})` : ''}: use Ed25519, P-256/384/521 or RSA`,
    );
  if (!isSignatureAlgorithm(requested))
    throw new SigningKeyError(
      `${source}: algorithm ${JSON.stringify(requested)} is not allowed for card signatures`,
    );
  if (!algorithmFitsKey(requested, exported))
    throw new SigningKeyError(`${source}: algorithm ${requested} does not fit a ${exported.kty} key`);
  if (exported.kty === 'RSA' && privateKey.asymmetricKeyDetails?.modulusLength !== undefined) {
    if (privateKey.asymmetricKeyDetails.modulusLength < 2048)
      throw new SigningKeyError(`${source}: RSA keys must have at least 2048 bits`);
  }
  const keyId = kid ?? own?.kid ?? (await calculateJwkThumbprint(exported, 'sha256'));
  if (typeof keyId !== 'string' || keyId.length === 0) throw new SigningKeyError(`${source}: empty kid`);
  return {
    kid: keyId,
    alg: requested,
    privateKey,
    publicJwk: { ...exported, kid: keyId, alg: requested, use: 'sig' },
  };
}
