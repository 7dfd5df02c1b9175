import { createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { isJsonText, KeyFileError, parseJwkFile, readKeyFiles } from './keyFiles.js';
import { publicJwk } from './publicJwk.js';

/**
 * Trusted public keys from files, for `verifyA2ACard`: each path a file or a directory of files,
 * each file a JWK Set, a JWK, or a PEM public key (SPKI, or a certificate). Private members in a
 * JWK are dropped; a PEM key without a `kid` is known by its RFC 7638 thumbprint. Symmetric keys
 * are refused: HMAC never verifies a card.
 */
export async function loadVerificationKeys(paths: string | readonly string[]): Promise<JWK[]> {
  const keys: JWK[] = [];
  for (const file of await readKeyFiles(paths)) {
    if (isJsonText(file.text)) {
      for (const { where, jwk } of parseJwkFile(file)) {
        if (jwk.kty === 'oct') throw new KeyFileError(`${where}: symmetric (oct) keys are refused`);
        const key = publicJwk(jwk as JWK);
        if (!key) throw new KeyFileError(`${where}: unsupported key type ${JSON.stringify(jwk.kty)}`);
        if (typeof key.kid !== 'string' || key.kid === '')
          key.kid = await calculateJwkThumbprint(key, 'sha256');
        keys.push(key);
      }
      continue;
    }
    let exported: JWK | undefined;
    try {
      exported = publicJwk(createPublicKey(file.text).export({ format: 'jwk' }) as JWK);
    } catch {
      throw new KeyFileError(`${file.path}: not a JWK, JWK Set or PEM public key`);
    }
    if (!exported) throw new KeyFileError(`${file.path}: unsupported key type`);
    keys.push({ ...exported, kid: await calculateJwkThumbprint(exported, 'sha256') });
  }
  return keys;
}
