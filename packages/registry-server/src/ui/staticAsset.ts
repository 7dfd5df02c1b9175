import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** A response body prepared once at start-up: hashed for its ETag and pre-compressed. */
export interface StaticAsset {
  readonly contentType: string;
  readonly cacheControl: string;
  /** Short content hash, also used to version the asset's URL. */
  readonly version: string;
  readonly identity: Uint8Array;
  readonly gzip: Uint8Array;
}

export interface StaticAssetOptions {
  contentType: string;
  cacheControl: string;
}

/** Hashes and gzips `content` once, so serving it costs no more than a header check. */
export function createStaticAsset(content: string, options: StaticAssetOptions): StaticAsset {
  const identity = new TextEncoder().encode(content);
  return {
    ...options,
    version: createHash('sha256').update(identity).digest('base64url').slice(0, 16),
    identity,
    gzip: gzipSync(identity, { level: 9 }),
  };
}

const acceptsGzip = (request: Request): boolean =>
  /\bgzip\b/i.test(request.headers.get('accept-encoding') ?? '');

/** True when an `If-None-Match` list names `etag` (weak comparison, as RFC 9110 asks for GET). */
function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => bare(tag) === bare(etag));
}

/**
 * Answers `request` with `asset`: 304 when the client's copy is current, else
 * the gzip or identity body. Each encoding has its own strong ETag.
 */
export function serveStaticAsset(
  request: Request,
  asset: StaticAsset,
  extraHeaders: Record<string, string> = {},
): Response {
  const gzip = acceptsGzip(request);
  const etag = gzip ? `"${asset.version}-gz"` : `"${asset.version}"`;
  const headers = new Headers({
    ...extraHeaders,
    'cache-control': asset.cacheControl,
    etag,
    vary: 'Accept-Encoding',
  });
  if (matchesEtag(request.headers.get('if-none-match'), etag)) {
    return new Response(null, { status: 304, headers });
  }
  const body = gzip ? asset.gzip : asset.identity;
  headers.set('content-type', asset.contentType);
  headers.set('content-length', String(body.byteLength));
  if (gzip) headers.set('content-encoding', 'gzip');
  return new Response(body, { status: 200, headers });
}
