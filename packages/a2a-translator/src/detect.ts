import type { A2AVersion } from '@agent-registry/crds';
import { getOwn, isPlainObject } from './json.js';

/**
 * Which A2A version a card document is written for. A top-level
 * `protocolVersion` only exists in 0.x cards (1.0 moved it into each
 * interface), so it wins; otherwise `supportedInterfaces` means 1.0 and a
 * top-level `url` means 0.3.0. Returns undefined when nothing tells.
 */
export function detectA2AVersion(json: unknown): A2AVersion | undefined {
  if (!isPlainObject(json)) return undefined;
  const protocolVersion = getOwn(json, 'protocolVersion');
  if (typeof protocolVersion === 'string') {
    if (protocolVersion.startsWith('0.')) return '0.3.0';
    if (protocolVersion.startsWith('1.')) return '1.0';
  }
  if (Array.isArray(getOwn(json, 'supportedInterfaces'))) return '1.0';
  if (getOwn(json, 'url') !== undefined || protocolVersion !== undefined) return '0.3.0';
  return undefined;
}
