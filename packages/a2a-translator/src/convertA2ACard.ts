import { warningAt, type A2AVersion, type Problem } from '@agent-registry/crds';
import { fromA2ACard } from './fromA2ACard.js';
import { toA2ACard } from './toA2ACard.js';
import type { A2ACard } from './types.js';

export type ConvertResult =
  { ok: true; card: A2ACard; warnings: Problem[] } | { ok: false; issues: Problem[] };

/**
 * Rewrites a valid A2A card for another protocol version (or re-renders it
 * for the same one). Signatures are dropped across versions: they sign the
 * source document and would not verify on the converted one.
 */
export function convertA2ACard(json: unknown, toVersion: A2AVersion): ConvertResult {
  const imported = fromA2ACard(json);
  if (!imported.ok) return imported;
  const warnings = [...imported.warnings];
  const metadata = { ...imported.spec.metadata };
  if (imported.version !== toVersion) {
    if (metadata.signatures !== undefined) {
      delete metadata.signatures;
      warnings.push(
        warningAt(
          'signatures',
          `dropped: they sign the ${imported.version} card and cannot verify on a ${toVersion} card`,
        ),
      );
    }
    warnings.push(
      warningAt(
        toVersion === '1.0' ? 'supportedInterfaces' : 'protocolVersion',
        `the converted card declares A2A ${toVersion}; serve it only where the agent speaks ${toVersion}`,
      ),
    );
  }
  const rendered = toA2ACard(
    { metadata: { name: imported.name }, spec: { ...imported.spec, metadata } },
    { a2aVersion: toVersion },
  );
  if (!rendered.ok) return { ok: false, issues: rendered.issues };
  return { ok: true, card: rendered.card, warnings: [...warnings, ...rendered.warnings] };
}
