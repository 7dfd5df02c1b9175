import { createHash, timingSafeEqual } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as v from 'valibot';
import { parse } from 'yaml';
import { formatPath } from '@agent-registry/crds';
import { silentLogger, type Logger } from '../logger.js';
import { staticPrincipal, type Authenticator, type Principal } from './types.js';

const NamespaceSchema = v.union([
  v.literal('*'),
  v.pipe(v.string(), v.regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a namespace name or "*"')),
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
  return result.output.tokens.map((token) => ({
    digest: digest(token.token),
    principal: staticPrincipal(token.name, token.namespaces),
  }));
}

/**
 * `--auth=token`: bearer tokens from a file, each with the namespaces it may read. The file is
 * reloaded when it changes; a bad version is logged and the previous tokens stay in force.
 */
export async function createTokenFileAuthenticator(
  file: string,
  { logger = silentLogger, watchFile = true }: { logger?: Logger; watchFile?: boolean } = {},
): Promise<Authenticator & { reload(): Promise<void> }> {
  let entries = parseTokensFile(file, await readFile(file, 'utf8'));
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;

  const reload = async (): Promise<void> => {
    try {
      entries = parseTokensFile(file, await readFile(file, 'utf8'));
      logger.info('tokens file reloaded', { file, tokens: entries.length });
    } catch (error) {
      logger.error('tokens file not reloaded; keeping the previous tokens', { file, error });
    }
  };
  if (watchFile) {
    try {
      watcher = watch(file, () => {
        clearTimeout(timer);
        timer = setTimeout(() => void reload(), 100);
      });
      watcher.on('error', () => undefined);
    } catch (error) {
      logger.warn('cannot watch the tokens file; changes need a restart', { file, error });
    }
  }

  return {
    mode: 'token',
    reload,
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
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
