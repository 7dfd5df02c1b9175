import type { JWK } from 'jose';

/**
 * Asymmetric JWS algorithms a card signature may use. `none` proves nothing and HMAC (`HS*`)
 * needs the verifier to hold the signer's secret, so neither is ever accepted. `Ed25519` is the
 * fully-specified name (RFC 9864) of what `EdDSA` means with an Ed25519 key.
 */
export const SIGNATURE_ALGORITHMS = [
  'EdDSA',
  'Ed25519',
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
] as const;

export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

export const isSignatureAlgorithm = (alg: unknown): alg is SignatureAlgorithm =>
  typeof alg === 'string' && (SIGNATURE_ALGORITHMS as readonly string[]).includes(alg);

const EC_CURVES: Readonly<Record<string, SignatureAlgorithm>> = {
  'P-256': 'ES256',
  'P-384': 'ES384',
  'P-521': 'ES512',
};

/** The algorithm a key signs with when none is named: EdDSA, ES256/384/512 by curve, RS256 for RSA. */
export function defaultAlgorithm(jwk: Pick<JWK, 'kty' | 'crv'>): SignatureAlgorithm | undefined {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'EC' && jwk.crv) return EC_CURVES[jwk.crv];
  if (jwk.kty === 'RSA') return 'RS256';
  return undefined;
}

/** Whether `alg` can be used with a key of this type and curve (an ES256 header on an RSA key is refused). */
export function algorithmFitsKey(alg: SignatureAlgorithm, jwk: Pick<JWK, 'kty' | 'crv'>): boolean {
  switch (alg) {
    case 'EdDSA':
    case 'Ed25519':
      return jwk.kty === 'OKP' && jwk.crv === 'Ed25519';
    case 'ES256':
    case 'ES384':
    case 'ES512':
      return jwk.kty === 'EC' && jwk.crv !== undefined && EC_CURVES[jwk.crv] === alg;
    default:
      return jwk.kty === 'RSA';
  }
}
