/*
 * The controller against kagent's own Agent CRD (kagent v0.9.12, from ../shared): agents shaped as kagent users write
 * them — Declarative with typed skills in declarative.a2aConfig, BYO with capability strings, `kagent.dev/card-*`
 * card metadata, opt-in and opt-out — converge to cards that the official A2A 0.3.0 schema and the translator's 1.0
 * rules accept, through edits and deletion.
 */
import { validateA2ACard } from '@agent-registry/a2a-translator';
import type { AgentCard } from '@agent-registry/crds';
import { integration, kagentAgentCrd, officialA2ASchema } from '@agent-registry/testing';
import {
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { describe, expect, onTestFinished, test } from 'vitest';
import { defineConfig } from '../config.js';
import { startController } from '../controller.js';
import { waitFor } from '../testing.js';

const kagentCrd = kagentAgentCrd();
const schema = officialA2ASchema();
const MANAGER = 'kagent-real-crd-test';

/** A kagent v1alpha2 Agent as kagent's documentation writes one. */
function kagentAgent(
  namespace: string,
  name: string,
  annotations: Record<string, string>,
  spec: Record<string, unknown>,
): KubernetesObject {
  return {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'Agent',
    metadata: { name, namespace, annotations },
    spec,
  } as KubernetesObject;
}

const declarative = (skills: Record<string, unknown>[]) => ({
  modelConfig: 'default-model-config',
  systemMessage: 'You are a Kubernetes expert. Investigate before you suggest changes.',
  a2aConfig: { skills },
});

/** Every problem the official schema (0.3 cards) or the translator's 1.0 rules find in a card's public card. */
function specProblems(card: AgentCard): unknown[] {
  const publicCard = card.spec.publicCard;
  if (card.spec.a2aVersion === '1.0') return validateA2ACard(publicCard, '1.0').issues;
  const problems: unknown[] = [...validateA2ACard(publicCard, '0.3.0').issues];
  if (schema.available) problems.push(...schema.agentCardErrors(publicCard));
  return problems;
}

integration.describe("controller against kagent's own Agent CRD", (cp) => {
  describe.skipIf(!kagentCrd.available)('kagent-shaped agents', () => {
    const objects = KubernetesObjectApi.makeApiClient(cp.kubeConfig);
    const custom = cp.kubeConfig.makeApiClient(CustomObjectsApi);
    const apply = (object: KubernetesObject) =>
      objects.patch(object, undefined, undefined, MANAGER, true, PatchStrategy.ServerSideApply);
    const card = async (namespace: string, name: string): Promise<AgentCard | undefined> => {
      try {
        return (await custom.getNamespacedCustomObject({
          group: 'kagent.dev',
          version: 'v1alpha1',
          plural: 'agentcards',
          namespace,
          name,
        })) as AgentCard;
      } catch (error) {
        if ((error as { code?: number }).code === 404) return undefined;
        throw error;
      }
    };
    const ready = (namespace: string, name: string, check: (card: AgentCard) => boolean = () => true) =>
      waitFor(`card ${namespace}/${name}`, async () => {
        const found = await card(namespace, name);
        const isReady = found?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
        return found && isReady && check(found) ? found : undefined;
      });

    test('typed skills, capabilities, card-* metadata, opt-out, edit and delete converge to spec-valid cards', async () => {
      const { name: ns } = await cp.createNamespace('kagent-real');
      const controller = await startController(
        defineConfig({
          namespaces: [ns],
          leaderElect: false,
          httpPort: 0,
          httpHost: '127.0.0.1',
          probeIntervalMs: 60 * 60_000,
          probeTimeoutMs: 1000,
          resyncPeriodMs: 60 * 60_000,
          logLevel: 'error',
        }),
        { kubeConfig: cp.kubeConfig, processMetrics: false },
      );
      onTestFinished(() => controller.stop());

      const troubleshooterAnnotations = {
        'kagent.dev/register-to-registry': 'true',
        'kagent.dev/card-provider.organization': 'Platform Engineering',
        'kagent.dev/card-provider.url': 'https://platform.example.com',
        'kagent.dev/card-documentationUrl': 'https://platform.example.com/docs/k8s-troubleshooter',
        'kagent.dev/card-version': '2.3.0',
        // A skill id too long for a kagent.dev/card-<key> annotation: its entry goes in the JSON object.
        'kagent.dev/card-metadata': JSON.stringify({
          'skills.summarise-the-rollout-history-of-every-deployment-in-a-namespace.description':
            'Summarises the rollout history of every deployment in a namespace.',
        }),
      };
      const troubleshooter = await apply(
        kagentAgent(ns, 'k8s-troubleshooter', troubleshooterAnnotations, {
          type: 'Declarative',
          description: 'Diagnoses failing pods, deployments and services.',
          declarative: declarative([
            {
              id: 'diagnose-pod',
              name: 'Diagnose pod',
              description: 'Explains why a pod is pending, crash-looping or not ready.',
              tags: ['kubernetes', 'pods'],
              examples: ['Why is checkout-7d9f in CrashLoopBackOff?'],
            },
            // kagent's CRD makes id optional: the card gets the slug of the name.
            { name: 'Rollout status', description: 'Summarises a rollout.', tags: ['deployments'] },
            {
              id: 'summarise-the-rollout-history-of-every-deployment-in-a-namespace',
              name: 'Rollout history',
              tags: ['deployments'],
            },
          ]),
        }),
      );
      await apply(
        kagentAgent(
          ns,
          'release-manager',
          {
            'kagent.dev/register-to-registry': 'true',
            'kagent.dev/capabilities': 'helm,release-notes,changelog',
            'kagent.dev/card-provider.organization': 'Platform Engineering',
            'kagent.dev/card-provider.url': 'https://platform.example.com',
            'kagent.dev/a2a-version': '1.0',
          },
          {
            type: 'BYO',
            description: 'Plans Helm releases and writes release notes.',
            byo: { deployment: { image: 'ghcr.io/example/release-manager:1.2.0' } },
          },
        ),
      );
      await apply(
        kagentAgent(
          ns,
          'scratchpad',
          {},
          { type: 'Declarative', declarative: declarative([{ name: 'Notes' }]) },
        ),
      );

      const first = await ready(ns, 'k8s-troubleshooter');
      expect(first.spec.a2aVersion).toBe('0.3.0');
      expect(first.spec.skills?.map((skill) => skill.id)).toEqual([
        'diagnose-pod',
        'rollout-status',
        'summarise-the-rollout-history-of-every-deployment-in-a-namespace',
      ]);
      expect(first.spec.metadata).toMatchObject({
        description: 'Diagnoses failing pods, deployments and services.',
        'provider.organization': 'Platform Engineering',
        'provider.url': 'https://platform.example.com',
        version: '2.3.0',
      });
      const publicCard = first.spec.publicCard as {
        provider?: unknown;
        skills: { id: string; description: string }[];
      };
      expect(publicCard.provider).toEqual({
        organization: 'Platform Engineering',
        url: 'https://platform.example.com',
      });
      expect(publicCard.skills[2]?.description).toBe(
        'Summarises the rollout history of every deployment in a namespace.',
      );
      expect(first.metadata.ownerReferences?.[0]).toMatchObject({ uid: troubleshooter.metadata?.uid });
      expect(first.status?.conditions?.find((c) => c.type === 'Degraded')?.status).toBe('False');
      expect(specProblems(first)).toEqual([]);

      const byo = await ready(ns, 'release-manager');
      expect(byo.spec.a2aVersion).toBe('1.0');
      expect(byo.spec.capabilities).toEqual(['helm', 'release-notes', 'changelog']);
      expect(specProblems(byo)).toEqual([]);

      // Not opted in: no card.
      await controller.whenIdle();
      expect(await card(ns, 'scratchpad')).toBeUndefined();

      // Edit: a new description and one more typed skill reach the card.
      await apply(
        kagentAgent(ns, 'k8s-troubleshooter', troubleshooterAnnotations, {
          type: 'Declarative',
          description: 'Diagnoses failing workloads.',
          declarative: declarative([
            { id: 'diagnose-pod', name: 'Diagnose pod', tags: ['kubernetes'] },
            { id: 'scale', name: 'Scale deployment', tags: ['deployments'] },
          ]),
        }),
      );
      const second = await ready(
        ns,
        'k8s-troubleshooter',
        (c) => c.spec.metadata?.description === 'Diagnoses failing workloads.',
      );
      expect(second.spec.skills?.map((skill) => skill.id)).toEqual(['diagnose-pod', 'scale']);
      expect(second.spec.contentHash).not.toBe(first.spec.contentHash);
      expect(specProblems(second)).toEqual([]);

      // Opt-out: register-to-registry no longer "true" → the card goes.
      await apply(
        kagentAgent(
          ns,
          'release-manager',
          {
            'kagent.dev/register-to-registry': 'false',
            'kagent.dev/capabilities': 'helm,release-notes,changelog',
          },
          {
            type: 'BYO',
            description: 'Plans Helm releases and writes release notes.',
            byo: { deployment: { image: 'ghcr.io/example/release-manager:1.2.0' } },
          },
        ),
      );
      await waitFor(
        'the opted-out card to be deleted',
        async () => (await card(ns, 'release-manager')) === undefined,
      );

      // Delete: the agent goes, and the controller removes its card (envtest has no garbage collector).
      await objects.delete(troubleshooter);
      await waitFor(
        'the orphaned card to be deleted',
        async () => (await card(ns, 'k8s-troubleshooter')) === undefined,
      );
    });

    test('kagent rejects the shape the open-spec stand-in let through', async () => {
      const { name: ns } = await cp.createNamespace('kagent-reject');
      await expect(
        apply(
          kagentAgent(
            ns,
            'no-declarative',
            { 'kagent.dev/register-to-registry': 'true' },
            { type: 'Declarative' },
          ),
        ),
      ).rejects.toThrow(/declarative must be specified if type is Declarative/);
    });
  });
});
