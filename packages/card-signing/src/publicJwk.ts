import type { JWK } from 'jose';

/** Members that identify a key or limit its use, kept on a published public key. */
const METADATA = ['kid', 'alg', 'use', 'key_ops', 'x5c', 'x5t', 'x5t#S256', 'x5u'] as const;

/** Public members by key type (RFC 7518 §6, RFC 8037 §2); anything else — `d`, `p`, `q`, … — is private. */
const PUBLIC_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  OKP: ['crv', 'x'],
  EC: ['crv', 'x', 'y'],
  RSA: ['n', 'e'],
};

/**
 * The public half of a JWK: only the members a verifier needs, so a private key can never leak
 * into a published JWK Set. Returns undefined for key types with no public half (`oct`).
 */
export function publicJwk(jwk: JWK): JWK | undefined {
  const members = jwk.kty ? PUBLIC_MEMBERS[jwk.kty] : undefined;
  if (!members) return undefined;
  const out: Record<string, unknown> = { kty: jwk.kty };
  for (const name of [...members, ...METADATA]) {
    const value = (jwk as Record<string, unknown>)[name];
    if (value !== undefined) out[name] = value;
  }
  return out as JWK;
}
