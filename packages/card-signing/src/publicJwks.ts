import type { JSONWebKeySet } from 'jose';
import type { SigningKey } from './signingKey.js';

/** The JWK Set to publish for signing keys (e.g. at `/.well-known/jwks.json`): public members only. */
export function publicJwks(keys: readonly SigningKey[]): JSONWebKeySet {
  return { keys: keys.map((key) => ({ ...key.publicJwk })) };
}
