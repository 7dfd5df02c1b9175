/** Origins by `scheme://authority` prefix: a handful of Host values in practice, bounded against spoofed ones. */
const origins = new Map<string, string>();
const MAX_ORIGINS = 256;
/** The last prefix seen and its origin: nearly every request repeats it. */
let lastPrefix = '';
let lastOrigin = '';

/**
 * `new URL(url).origin`, memoized by the URL's `scheme://authority` prefix: parsing a URL per request
 * is measurable on the hot GET routes, and the origin depends only on that prefix.
 */
export function originOf(url: string): string {
  if (lastPrefix !== '' && url.startsWith(lastPrefix) && url.charCodeAt(lastPrefix.length) === 47) {
    return lastOrigin;
  }
  const authorityStart = url.indexOf('//') + 2;
  const pathStart = url.indexOf('/', authorityStart);
  const prefix = pathStart === -1 ? url : url.slice(0, pathStart);
  let origin = origins.get(prefix);
  if (origin === undefined) {
    origin = new URL(url).origin;
    if (origins.size >= MAX_ORIGINS) origins.clear();
    origins.set(prefix, origin);
  }
  if (pathStart !== -1) {
    lastPrefix = prefix;
    lastOrigin = origin;
  }
  return origin;
}
