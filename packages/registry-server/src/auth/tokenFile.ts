import { createHash, timingSafeEqual } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as v from 'valibot';
import { parse } from 'yaml';
import { formatPath, isDns1123Label } from '@agent-registry/crds';
import { silentLogger, type Logger } from '../logger.js';
import { staticPrincipal, type Authenticator, type Principal } from './types.js';

const NamespaceSchema = v.union([
  v.literal('*'),
  v.pipe(v.string(), v.check(isDns1123Label, 'must be a namespace name or "*"')),
]);

/** The tokens file: `tokens: [{ name, token, namespaces: [ns | "*"] }]` (YAML or JSON). */
export const TokensFileSchema = v.object({
  tokens: v.pipe(
    v.array(
      v.object({
        name: v.pipe(v.string(), v.nonEmpty('must not be empty'), v.maxLength(253)),
        token: v.pipe(v.string(), v.minLength(16, 'must be at least 16 characters'), v.maxLength(4096)),
        namespaces: v.pipe(v.array(NamespaceSchema), v.nonEmpty('must list at least one namespace or "*"')),
      }),
    ),
    v.check((tokens) => new Set(tokens.map((t) => t.token)).size === tokens.length, 'tokens must be unique'),
  ),
});

interface Entry {
  digest: Buffer;
  principal: Principal;
}

const digest = (token: string): Buffer => createHash('sha256').update(token).digest();

/** Parses a tokens file's text; throws an Error naming the file and the path of the first problem. */
export function parseTokensFile(file: string, text: string): Entry[] {
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid YAML/JSON: ${(error as Error).message}`);
  }
  const result = v.safeParse(TokensFileSchema, raw);
  if (!result.success) {
    const issue = result.issues[0];
    const path = formatPath((issue.path ?? []).map((item) => item.key as string | number));
    throw new Error(`${file}: ${path}: ${issue.message}`);
  }
  // Names appear in logs and audit trails as who did what: two tokens with one name would be ambiguous.
  const firstIndex = new Map<string, number>();
  result.output.tokens.forEach((token, index) => {
    const first = firstIndex.get(token.name);
    if (first !== undefined) {
      throw new Error(
        `${file}: tokens[${index}].name: ${JSON.stringify(token.name)} is already the name of tokens[${first}]; token names must be unique`,
      );
    }
    firstIndex.set(token.name, index);
  });
  return result.output.tokens.map((token) => {
    const tokenDigest = digest(token.token);
    return {
      digest: tokenDigest,
      principal: staticPrincipal(
        token.name,
        token.namespaces,
        `token:${tokenDigest.toString('base64url').slice(0, 22)}`,
      ),
    };
  });
}

export interface TokenFileAuthOptions {
  logger?: Logger;
  /** Watch the file's directory for changes (default true). */
  watchFile?: boolean;
  /** Also re-read the file this often, in case a change went unnoticed; 0 = never. Default 10 s. */
  pollIntervalMs?: number;
}

/**
 * `--auth=token`: bearer tokens from a file, each with the namespaces it may read. The file is
 * reloaded when it changes; a bad version is logged and the previous tokens stay in force.
 *
 * The DIRECTORY is watched, not the file: a mounted Kubernetes Secret is rotated by swapping the
 * `..data` symlink, which leaves a watch on the file itself on a deleted inode forever. Any event in
 * the directory re-reads the file (debounced), and a periodic re-read is the safety net.
 */
export async function createTokenFileAuthenticator(
  file: string,
  { logger = silentLogger, watchFile = true, pollIntervalMs = 10_000 }: TokenFileAuthOptions = {},
): Promise<Authenticator & { reload(): Promise<void> }> {
  let text = await readFile(file, 'utf8');
  let entries = parseTokensFile(file, text);
  const listeners = new Set<() => void>();
  let watcher: FSWatcher | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let poll: NodeJS.Timeout | undefined;
  let closed = false;

  const reload = async (): Promise<void> => {
    try {
      const next = await readFile(file, 'utf8');
      if (closed || next === text) return;
      entries = parseTokensFile(file, next);
      text = next;
      logger.info('tokens file reloaded', { file, tokens: entries.length });
      for (const listener of [...listeners]) listener();
    } catch (error) {
      logger.error('tokens file not reloaded; keeping the previous tokens', { file, error });
    }
  };
  const scheduleReload = (): void => {
    clearTimeout(debounce);
    debounce = setTimeout(() => void reload(), 100);
  };
  if (watchFile) {
    try {
      watcher = watch(dirname(file), scheduleReload);
      watcher.on('error', (error) => logger.warn('tokens directory watch failed', { file, error }));
    } catch (error) {
      logger.warn('cannot watch the tokens file; relying on the periodic re-read', { file, error });
    }
  }
  if (pollIntervalMs > 0) {
    poll = setInterval(() => void reload(), pollIntervalMs);
    poll.unref();
  }

  return {
    mode: 'token',
    reload,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async authenticate(token) {
      if (!token) return undefined;
      const candidate = digest(token);
      // Compare digests in constant time, and always against every entry.
      let found: Principal | undefined;
      for (const entry of entries) {
        if (timingSafeEqual(entry.digest, candidate)) found = entry.principal;
      }
      return found;
    },
    async close() {
      closed = true;
      clearTimeout(debounce);
      clearInterval(poll);
      watcher?.close();
      listeners.clear();
    },
  };
}
