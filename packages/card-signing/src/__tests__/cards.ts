import { generateKeyPairSync } from 'node:crypto';
import { toA2ACard } from '@agent-registry/a2a-translator';
import type { A2AVersion } from '@agent-registry/crds';
import { toSigningKey, type SigningKey } from '../index.js';

/** A realistic card of either version, rendered by the translator as the registry serves it. */
export function sampleCard(a2aVersion: A2AVersion): Record<string, unknown> {
  const result: { card?: unknown; warnings: unknown[] } = toA2ACard(
    {
      metadata: { name: 'route-planner', namespace: 'travel' },
      spec: {
        capabilities: ['routes', 'traffic'],
        endpoints: ['https://route-planner.example.com/a2a'],
        metadata: {
          description: 'Plans routes — with ünïcödé and emoji 🚗',
          'provider.organization': 'Example Travel',
          'provider.url': 'https://travel.example.com',
        },
      },
    },
    { a2aVersion },
  );
  if (!result.card) throw new Error('the translator rendered no card for the sample agent');
  return result.card as Record<string, unknown>;
}

/** The same JSON with every object's members in reverse order: equal as JSON, different as text. */
export function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, item]) => [key, reordered(item)]),
  );
}

export type KeyKind = 'Ed25519' | 'P-256' | 'RSA';

/** A fresh key pair of the kind as a SigningKey. */
export function freshKey(kind: KeyKind, kid: string): Promise<SigningKey> {
  const { privateKey } =
    kind === 'Ed25519'
      ? generateKeyPairSync('ed25519')
      : kind === 'P-256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return toSigningKey(privateKey, { kid });
}
