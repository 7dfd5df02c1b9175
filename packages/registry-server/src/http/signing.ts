import {
  CardPayloadError,
  loadSigningKeys,
  omitDefaultValuesV1,
  publicJwks,
  signA2ACardWithKeys,
  type SigningKey,
} from '@agent-registry/card-signing';
import { Hono } from 'hono';
import { documentRoute } from './describe.js';
import { JWKS_PATH, type AppEnv } from './env.js';

/** The registry's own card signing: every served A2A card carries one signature per key. */
export interface CardSigning {
  readonly kids: readonly string[];
  /** `${publicUrl}/.well-known/jwks.json`, or undefined without a public URL (a jku must be absolute). */
  readonly jku: string | undefined;
  /** The JWK Set of the signing keys, public members only, serialized once. */
  readonly jwksBody: string;
  /** The served A2A document (JSON text) with the registry's signatures over exactly what it serves. */
  signBody(body: string): string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function protectedHeaderOf(entry: unknown): Record<string, unknown> | undefined {
  if (!isObject(entry) || typeof entry.protected !== 'string') return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(entry.protected, 'base64url').toString('utf8'));
    return isObject(header) ? header : undefined;
  } catch {
    return undefined;
  }
}

export function cardSigning(keys: readonly SigningKey[], publicUrl: string | undefined): CardSigning {
  if (keys.length === 0) throw new Error('card signing needs at least one key');
  const jku = publicUrl ? `${publicUrl.replace(/\/+$/, '')}${JWKS_PATH}` : undefined;
  const kids = new Set(keys.map((key) => key.kid));
  return {
    kids: [...kids],
    jku,
    jwksBody: JSON.stringify(publicJwks(keys)),
    signBody(body) {
      const card = JSON.parse(body) as Record<string, unknown>;
      // A signature of this registry carried in from elsewhere (a card imported from a registry page)
      // is replaced, not doubled; a publisher's signatures stay beside the registry's.
      const carried = Array.isArray(card.signatures)
        ? card.signatures.filter((entry) => {
            const header = protectedHeaderOf(entry);
            return !(header && typeof header.kid === 'string' && kids.has(header.kid) && header.jku === jku);
          })
        : undefined;
      const { signatures: _signatures, ...rest } = card;
      // A card with 1.0 interfaces (1.0, or the card for both generations) is served without the members
      // §8.4.1 rule 1 leaves out, so the signature verifies under the 1.0 rules and the 0.3 ones alike.
      const served = Array.isArray(rest.supportedInterfaces) ? omitDefaultValuesV1(rest) : rest;
      const unsigned = carried && carried.length > 0 ? { ...served, signatures: carried } : served;
      try {
        return JSON.stringify(signA2ACardWithKeys(unsigned, keys, { jku }));
      } catch (error) {
        // A card JSON cannot canonicalise (a lone surrogate in a text) is served as it is, unsigned:
        // a client then sees no registry signature rather than no card.
        if (error instanceof CardPayloadError) return body;
        throw error;
      }
    },
  };
}

/** Card signing from `--signing-key` files, or undefined when none were given. Refuses unusable keys, naming the file. */
export async function loadCardSigning(
  files: readonly string[] | undefined,
  publicUrl: string | undefined,
): Promise<CardSigning | undefined> {
  if (!files || files.length === 0) return undefined;
  return cardSigning(await loadSigningKeys(files), publicUrl);
}

/** `GET /.well-known/jwks.json`: the public keys that verify the registry's card signatures. */
export function jwksRoutes(signing: CardSigning): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get(
    JWKS_PATH,
    documentRoute({
      operationId: 'getJwks',
      summary: "The JWK Set of the registry's card-signing keys (A2A §8.4)",
      tags: ['well-known'],
      responses: { 200: { description: 'A JWK Set (RFC 7517), public members only' } },
    }),
    (c) =>
      c.body(signing.jwksBody, 200, {
        'content-type': 'application/jwk-set+json',
        'cache-control': 'public, max-age=300',
      }),
  );
  return app;
}
