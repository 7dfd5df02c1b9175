import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Key files larger than this are not keys (a 16384-bit RSA JWK is under 20 KiB). */
const MAX_KEY_FILE_BYTES = 256 * 1024;

/** One file's text, with the path to name in errors. */
export interface KeyFileText {
  path: string;
  text: string;
}

/** A key file or directory that cannot be read; the message names the path, never the content. */
export class KeyFileError extends Error {
  override name = 'KeyFileError';
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? String(error);

/**
 * The files behind a list of paths: a file is itself, a directory is its regular files in name
 * order. Names starting with "." are skipped, which is how a mounted Kubernetes Secret keeps its
 * `..data` bookkeeping out of the way while its keys stay readable through their symlinks.
 */
export async function readKeyFiles(paths: string | readonly string[]): Promise<KeyFileText[]> {
  const files: string[] = [];
  for (const path of typeof paths === 'string' ? [paths] : paths) {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      throw new KeyFileError(`${path}: cannot read (${errorCode(error)})`);
    }
    if (!info.isDirectory()) {
      files.push(path);
      continue;
    }
    const names = (await readdir(path)).filter((name) => !name.startsWith('.')).sort();
    for (const name of names) {
      const file = join(path, name);
      if ((await stat(file).catch(() => undefined))?.isFile()) files.push(file);
    }
  }
  const texts: KeyFileText[] = [];
  for (const path of files) {
    let bytes: Buffer;
    try {
      const info = await stat(path);
      if (info.size > MAX_KEY_FILE_BYTES)
        throw new KeyFileError(`${path}: ${info.size} bytes is too large for a key file`);
      bytes = await readFile(path);
    } catch (error) {
      if (error instanceof KeyFileError) throw error;
      throw new KeyFileError(`${path}: cannot read (${errorCode(error)})`);
    }
    texts.push({ path, text: bytes.toString('utf8') });
  }
  return texts;
}

/** JSON key material: one JWK, or a JWK Set's keys (each named `path#keys[i]` in errors). */
export function parseJwkFile({ path, text }: KeyFileText): { where: string; jwk: Record<string, unknown> }[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new KeyFileError(`${path}: not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new KeyFileError(`${path}: expected a JWK or a JWK Set object`);
  const record = value as Record<string, unknown>;
  if ('keys' in record) {
    if (!Array.isArray(record.keys)) throw new KeyFileError(`${path}: "keys" must be an array`);
    return record.keys.map((jwk, index) => {
      const where = `${path}#keys[${index}]`;
      if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk))
        throw new KeyFileError(`${where}: not a JWK object`);
      return { where, jwk: jwk as Record<string, unknown> };
    });
  }
  return [{ where: path, jwk: record }];
}

/** Whether a file holds JSON (a JWK or JWK Set) rather than PEM. */
export const isJsonText = (text: string) => text.trimStart().startsWith('{');
