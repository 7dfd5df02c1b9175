import type { JWK } from 'jose';
import { isJsonText, KeyFileError, parseJwkFile, readKeyFiles } from './keyFiles.js';
import { SigningKeyError, toSigningKey, type SigningKey } from './signingKey.js';

/**
 * Private signing keys from files: each path is a file or a directory of files (a mounted Secret),
 * each file a PEM private key (PKCS#8, SEC1 or PKCS#1), a private JWK or a JWK Set of private keys.
 * Several keys sign side by side, which is how keys rotate: add the new key, let caches of the
 * JWK Set pick it up, then remove the old one. `kid` is the JWK's own, else the key's RFC 7638
 * thumbprint. Throws `KeyFileError` / `SigningKeyError` naming the file, never its content, and
 * refuses duplicate `kid`s and an empty result.
 */
export async function loadSigningKeys(paths: string | readonly string[]): Promise<SigningKey[]> {
  const keys: SigningKey[] = [];
  const sources = new Map<string, string>();
  for (const file of await readKeyFiles(paths)) {
    const entries = isJsonText(file.text)
      ? parseJwkFile(file).map(({ where, jwk }) => ({ where, input: jwk as JWK }))
      : [{ where: file.path, input: file.text }];
    for (const { where, input } of entries) {
      const key = await toSigningKey(input, { source: where });
      const earlier = sources.get(key.kid);
      if (earlier !== undefined)
        throw new SigningKeyError(`${where}: kid ${JSON.stringify(key.kid)} is already used by ${earlier}`);
      sources.set(key.kid, where);
      keys.push(key);
    }
  }
  if (keys.length === 0)
    throw new KeyFileError(`${typeof paths === 'string' ? paths : paths.join(', ')}: no signing key found`);
  return keys;
}
