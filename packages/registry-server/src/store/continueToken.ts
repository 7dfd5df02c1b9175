import { createHash } from 'node:crypto';
import { QueryError, type CardQuery } from './types.js';

/** What a continue token carries: where the previous page ended, and for which query. */
export interface ContinuePosition {
  /** The last `namespace/name` key of the previous page; the next page starts after it. */
  after: string;
  /** Ranked queries (`q`): the last item's score; the next page starts after (score, key) in ranked order. */
  score?: number;
  /** The store sequence when the first page was read (informational; pages follow the live index). */
  sequence: number;
}

const MAX_TOKEN_LENGTH = 2048;

/** A short digest of the filters, so a token is only accepted by the query that made it. */
export function queryFingerprint(query: CardQuery, visibility: string): string {
  const filters = [
    query.namespace,
    query.skill,
    query.tag,
    query.health,
    query.verified,
    query.labelSelector,
    query.q,
    visibility,
  ];
  return createHash('sha256').update(JSON.stringify(filters)).digest('base64url').slice(0, 16);
}

export function encodeContinue(position: ContinuePosition, fingerprint: string): string {
  return Buffer.from(
    JSON.stringify({
      v: 1,
      a: position.after,
      s: position.sequence,
      f: fingerprint,
      ...(position.score === undefined ? {} : { r: position.score }),
    }),
  ).toString('base64url');
}

/** Decodes a token; throws {@link QueryError} when it is malformed or belongs to another query. */
export function decodeContinue(token: string, fingerprint: string): ContinuePosition {
  const invalid = (why: string): never => {
    throw new QueryError(`continue: invalid token (${why}); start again without "continue"`, 'continue');
  };
  if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) invalid('not base64url');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return invalid('not a registry token');
  }
  const { v, a, s, f, r } = (decoded ?? {}) as {
    v?: unknown;
    a?: unknown;
    s?: unknown;
    f?: unknown;
    r?: unknown;
  };
  if (
    v !== 1 ||
    (r !== undefined && (typeof r !== 'number' || !Number.isFinite(r))) ||
    typeof a !== 'string' ||
    typeof s !== 'number' ||
    !Number.isSafeInteger(s) ||
    typeof f !== 'string'
  ) {
    invalid('not a registry token');
  }
  if (f !== fingerprint) invalid('it was issued for different filters');
  const position: ContinuePosition = { after: a as string, sequence: s as number };
  if (r !== undefined) position.score = r as number;
  return position;
}
