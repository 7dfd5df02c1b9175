import { generateKeyPairSync } from 'node:crypto';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { toA2ACard } from '@agent-registry/a2a-translator';
import {
  publicJwks,
  signA2ACard,
  signatureVerifiedCondition,
  toSigningKey,
} from '@agent-registry/card-signing';
import type { AgentCard } from '@agent-registry/crds';
import { integration, type TestNamespace } from '@agent-registry/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { startServer, type RunningServer } from '../server.js';
import { API, names } from './helpers.js';

const group = { group: 'kagent.dev', version: 'v1alpha1', plural: 'agentcards' };

function publicCard(namespace: string, name: string): Record<string, unknown> {
  const result = toA2ACard(
    { metadata: { name, namespace }, spec: { endpoints: [`https://${name}.example.com/a2a`] } },
    { a2aVersion: '0.3.0' },
  );
  if (!result.ok) throw new Error('the sample card does not render');
  return result.card;
}

integration.describe(
  '?verified= over the Kubernetes store: the condition the controller writes',
  (controlPlane) => {
    const custom = controlPlane.kubeConfig.makeApiClient(CustomObjectsApi);
    let ns: TestNamespace;
    let registry: RunningServer;

    beforeAll(async () => {
      ns = await controlPlane.createNamespace('registry-verified');
      const publisher = await toSigningKey(generateKeyPairSync('ed25519').privateKey, { kid: 'publisher-1' });
      const trusted = publicJwks([publisher]);
      const signed = await signA2ACard(publicCard(ns.name, 'signed'), publisher);
      const cards = {
        signed,
        tampered: {
          ...(await signA2ACard(publicCard(ns.name, 'tampered'), publisher)),
          description: 'changed',
        },
        unsigned: publicCard(ns.name, 'unsigned'),
      };
      for (const [name, card] of Object.entries(cards)) {
        const body = {
          apiVersion: 'kagent.dev/v1alpha1',
          kind: 'AgentCard',
          metadata: { name, namespace: ns.name },
          spec: { endpoints: [`https://${name}.example.com/a2a`], publicCard: card },
        };
        const created = (await custom.createNamespacedCustomObject({
          ...group,
          namespace: ns.name,
          body,
        })) as AgentCard;
        // What the controller writes through the status subresource, with the same function.
        const condition = await signatureVerifiedCondition(created, trusted);
        await custom.replaceNamespacedCustomObjectStatus({
          ...group,
          namespace: ns.name,
          name,
          body: {
            ...created,
            status: { conditions: [{ ...condition, lastTransitionTime: '2026-01-01T00:00:00Z' }] },
          },
        });
      }
      registry = await startServer({
        port: 0,
        store: 'kubernetes',
        kubeconfig: controlPlane.kubeConfig,
        namespaces: [ns.name],
        logger: silentLogger,
        rateLimit: 0,
        ui: false,
      });
    });
    afterAll(async () => {
      await registry?.close();
      await ns?.delete();
    });

    it('lists only the card whose SignatureVerified is True; the others stay listed', async () => {
      const list = async (query: string) =>
        names((await (await fetch(`${registry.url}${API}/cards${query}`)).json()) as { items: AgentCard[] });
      await expect.poll(() => list('?verified=true')).toEqual([`${ns.name}/signed`]);
      expect(await list('?verified=false')).toEqual([`${ns.name}/tampered`, `${ns.name}/unsigned`]);
      expect(await list('')).toHaveLength(3);
    });
  },
);
