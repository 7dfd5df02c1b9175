import { constants, sign, type KeyObject } from 'node:crypto';
import type { SignatureAlgorithm } from './algorithms.js';

const DIGESTS: Readonly<Record<SignatureAlgorithm, string | null>> = {
  EdDSA: null,
  Ed25519: null,
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  PS256: 'sha256',
  PS384: 'sha384',
  PS512: 'sha512',
};

const SALT_LENGTHS: Readonly<Record<string, number>> = { sha256: 32, sha384: 48, sha512: 64 };

/**
 * The JWS signature value (RFC 7515 §5.1 step 5, RFC 7518 §3) of `signingInput` with `alg`:
 * ECDSA as the fixed-length r‖s pair, RSASSA-PSS with a salt as long as the hash. Synchronous, so
 * a server can sign while it renders; jose (and an independent verifier) check the result.
 */
export function jwsSignature(alg: SignatureAlgorithm, signingInput: Uint8Array, key: KeyObject): Buffer {
  const digest = DIGESTS[alg];
  if (alg.startsWith('ES')) return sign(digest, signingInput, { key, dsaEncoding: 'ieee-p1363' });
  if (alg.startsWith('PS'))
    return sign(digest, signingInput, {
      key,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: SALT_LENGTHS[digest as string],
    });
  return sign(digest, signingInput, key);
}
