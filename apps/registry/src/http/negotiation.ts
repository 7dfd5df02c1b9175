import { A2A_VERSIONS, type A2AVersion } from '@agent-registry/crds';
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

const VERSION_ALIASES: Record<string, A2AVersion> = {
  '0.3': '0.3.0',
  '0.3.0': '0.3.0',
  '1': '1.0',
  '1.0': '1.0',
  '1.0.0': '1.0',
};

/**
 * The A2A version asked for: `?a2aVersion=` wins over the `A2A-Version` header
 * (an explicit URL beats a client library's default); neither = `undefined`
 * (the card's own version). Anything unsupported is 400.
 */
export function negotiateA2AVersion(
  query: string | undefined,
  header: string | undefined,
): A2AVersion | undefined {
  const [source, raw] = query !== undefined ? ['a2aVersion', query] : ['A2A-Version header', header];
  if (raw === undefined || raw.trim() === '') return undefined;
  const version = Object.hasOwn(VERSION_ALIASES, raw.trim()) ? VERSION_ALIASES[raw.trim()] : undefined;
  if (!version) {
    throw badRequest(
      `unsupported A2A version ${JSON.stringify(raw.slice(0, 32))} in the ${source}: supported are ${A2A_VERSIONS.join(', ')} (also written 0.3, 1)`,
      [{ field: source, message: `must be one of 0.3, 0.3.0, 1.0` }],
    );
  }
  return version;
}
