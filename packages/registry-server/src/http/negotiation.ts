import { A2A_VERSIONS, parseA2AVersion, type A2AVersion } from '@agent-registry/crds';
import { badRequest, status, StatusError } from './status.js';

interface MediaRange {
  type: string;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  return header
    .split(',')
    .slice(0, 64)
    .map((part) => {
      const [type = '', ...params] = part.trim().toLowerCase().split(';');
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const q = qParam ? Number(qParam.slice(2)) : 1;
      return { type: type.trim(), q: Number.isFinite(q) ? q : 0 };
    })
    .filter((range) => range.type !== '');
}

/** True when the Accept header (absent = anything) admits `mediaType`. */
export function accepts(header: string | undefined, mediaType: string): boolean {
  if (header === undefined || header.trim() === '') return true;
  const [major] = mediaType.split('/');
  return parseAccept(header).some(
    (range) =>
      range.q > 0 && (range.type === '*/*' || range.type === `${major}/*` || range.type === mediaType),
  );
}

/** 406 unless the client accepts one of `mediaTypes`. */
export function requireAccept(header: string | undefined, ...mediaTypes: string[]): void {
  if (mediaTypes.some((type) => accepts(header, type))) return;
  throw new StatusError(
    status(406, 'NotAcceptable', `this resource is only available as ${mediaTypes.join(' or ')}`),
  );
}

/** The media type A2A 1.0.1 prefers for its JSON documents (the agent card among them). */
export const A2A_MEDIA_TYPE = 'application/a2a+json';

/** The q-value the Accept header gives `mediaType` by name (wildcards not counted); 0 when unnamed. */
function namedQuality(header: string, mediaType: string): number {
  let quality = 0;
  for (const range of parseAccept(header)) if (range.type === mediaType) quality = Math.max(quality, range.q);
  return quality;
}

/**
 * The media type of an A2A document for this Accept header: `application/a2a+json` when the client
 * names it at least as highly as `application/json`, else `application/json` (what clients that
 * name neither, e.g. with no Accept header or a wildcard, have always got).
 */
export function a2aMediaType(header: string | undefined): string {
  if (header === undefined || header.trim() === '') return 'application/json';
  const a2a = namedQuality(header, A2A_MEDIA_TYPE);
  return a2a > 0 && a2a >= namedQuality(header, 'application/json') ? A2A_MEDIA_TYPE : 'application/json';
}

const majorMinor = (version: string): string => version.split('.').slice(0, 2).join('.');

/** Where a request names its A2A version (A2A §3.6): query parameters first, then the header. */
export interface A2AVersionSources {
  /** `?A2A-Version=` (the spec's name). */
  query?: string | undefined;
  /** `?a2aVersion=` (this registry's older name, kept as an alias). */
  aliasQuery?: string | undefined;
  /** The `A2A-Version` header. */
  header?: string | undefined;
}

/**
 * The A2A version a request names, per A2A §3.6 (see `parseA2AVersion`): `?A2A-Version=`, else
 * `?a2aVersion=`, else the `A2A-Version` header (an explicit URL beats a client library's default).
 * `undefined` = the client named none (it gets the card both generations read). An empty value
 * means 0.3; an unsupported Major.Minor is 400 with A2A's `VersionNotSupported` wording.
 */
export function negotiateA2AVersion({
  query,
  aliasQuery,
  header,
}: A2AVersionSources): A2AVersion | undefined {
  const [source, raw] =
    query !== undefined
      ? ['A2A-Version query parameter', query]
      : aliasQuery !== undefined
        ? ['a2aVersion query parameter', aliasQuery]
        : ['A2A-Version header', header];
  const parsed = parseA2AVersion(raw);
  if (parsed.ok) return parsed.version;
  throw badRequest(
    `VersionNotSupported: ${source} ${JSON.stringify((raw ?? '').slice(0, 32))}: ${parsed.reason}`,
    [
      {
        field: source,
        message: `must be ${A2A_VERSIONS.map(majorMinor).join(' or ')} (Major.Minor; a patch part is ignored)`,
      },
    ],
  );
}
