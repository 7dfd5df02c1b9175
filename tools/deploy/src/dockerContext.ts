import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';

/** Regex for one glob path segment (`*`, `?`, `[...]`), as Go's filepath.Match reads it. */
function segmentRegex(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]!;
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const end = segment.indexOf(']', i);
      source += end > i ? segment.slice(i, end + 1).replace(/^\[!/, '[^') : '\\[';
      if (end > i) i = end;
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

const hasGlob = (path: string) => /[*?[]/.test(path);

/** Paths under `root` (relative, POSIX) matching a COPY source glob; `**` matches any number of directories. */
export function globContext(root: string, pattern: string): string[] {
  const segments = posix
    .normalize(pattern.replace(/^\.?\/+/, ''))
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  const results: string[] = [];
  const walk = (relative: string, index: number): void => {
    const absolute = join(root, relative);
    if (index === segments.length) {
      if (existsSync(absolute)) results.push(relative || '.');
      return;
    }
    const segment = segments[index]!;
    if (segment === '**') {
      walk(relative, index + 1);
      if (!isDirectory(absolute)) return;
      for (const entry of readdirSync(absolute)) {
        if (entry === 'node_modules' || entry === '.git') continue;
        const child = relative ? `${relative}/${entry}` : entry;
        if (isDirectory(join(root, child))) walk(child, index);
      }
      return;
    }
    if (!hasGlob(segment)) {
      walk(relative ? `${relative}/${segment}` : segment, index + 1);
      return;
    }
    if (!isDirectory(absolute)) return;
    const regex = segmentRegex(segment);
    for (const entry of readdirSync(absolute).filter((e) => regex.test(e))) {
      walk(relative ? `${relative}/${entry}` : entry, index + 1);
    }
  };
  walk('', 0);
  return results;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A parsed .dockerignore: `isIgnored(path)` applies the patterns in order, `!` re-includes. */
export interface DockerIgnore {
  file?: string;
  isIgnored(path: string): boolean;
}

function patternRegex(pattern: string): RegExp {
  const segments = posix.normalize(pattern.replace(/^\/+/, '')).split('/');
  const source = segments.map((s) => (s === '**' ? '.*' : segmentRegex(s).source.slice(1, -1))).join('/');
  // A pattern also excludes everything below a matched directory.
  return new RegExp(`^${source.replace(/\.\*\//g, '(?:.*/)?')}(?:/.*)?$`);
}

/**
 * The ignore file BuildKit uses for a Dockerfile: `<Dockerfile>.dockerignore` next to it, else the context
 * root's `.dockerignore`, else none.
 */
export function loadDockerIgnore(contextRoot: string, dockerfile: string): DockerIgnore {
  const candidates = [`${dockerfile}.dockerignore`, join(contextRoot, '.dockerignore')];
  const file = candidates.find((candidate) => existsSync(candidate));
  if (!file) return { isIgnored: () => false };
  const rules = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => ({ negate: line.startsWith('!'), regex: patternRegex(line.replace(/^!/, '')) }));
  return {
    file,
    isIgnored(path) {
      const normalized = posix.normalize(path.replace(/^\.?\/+/, ''));
      let ignored = false;
      for (const rule of rules) if (rule.regex.test(normalized)) ignored = !rule.negate;
      return ignored;
    },
  };
}
