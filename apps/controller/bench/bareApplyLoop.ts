/**
 * The benchmark's baseline: a bare server-side-apply loop that writes the
 * cards the controller would write, the same way — the card (metadata + spec)
 * with the controller's field manager, then its status subresource — with
 * `concurrency` workers, and nothing else: no informers, no queue, no
 * reconcile. What the apiserver (and client-node) can take on this machine.
 */
import { createHash } from 'node:crypto';
import {
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { AGENT_CARD_RESOURCE, type AgentCard, type AgentCardStatus } from '@agent-registry/crds';
import { Informer, stripManagedFields } from '@agent-registry/kube-runtime';
import { desiredConditions, mergeConditions } from '../src/conditions.js';
import { inParallel } from './inParallel.js';

export interface BareLoopResult {
  elapsedMs: number;
  /** {@link cardFingerprint} of every stored card (after its status write), by name. */
  fingerprints: Map<string, string>;
}

/**
 * What makes two stored cards "the same card" whatever their namespace: labels,
 * owner references, spec, and status without condition transition times (two
 * writers stamp different seconds).
 */
export function cardFingerprint(card: AgentCard): string {
  const status = card.status && {
    ...card.status,
    conditions: card.status.conditions?.map(({ lastTransitionTime: _time, ...rest }) => rest),
  };
  return createHash('sha256')
    .update(JSON.stringify([card.metadata.labels, card.metadata.ownerReferences, card.spec, status ?? null]))
    .digest('base64url');
}

/** The status the controller writes on a new card of an agent without diagnostics, before any probe. */
function newCardStatus(generation: number | undefined): AgentCardStatus {
  const conditions = mergeConditions(
    undefined,
    desiredConditions({ hasErrors: false, hasDiagnostics: false, message: '' }, generation),
    new Date(),
  );
  return {
    ...(generation === undefined ? {} : { observedGeneration: generation }),
    conditions,
    health: 'Unknown',
  };
}

export async function runBareApplyLoop(options: {
  kubeConfig: KubeConfig;
  cards: readonly AgentCard[];
  concurrency: number;
  fieldManager: string;
  /**
   * Also keep a cache of the cards written (an informer on their namespace, as the controller has): what
   * watching its own writes costs the apiserver and this process, without any reconciling.
   */
  watch?: boolean;
}): Promise<BareLoopResult> {
  const objects = KubernetesObjectApi.makeApiClient(options.kubeConfig);
  const custom = options.kubeConfig.makeApiClient(CustomObjectsApi);
  const fingerprints = new Map<string, string>();
  const namespace = options.cards[0]?.metadata.namespace;
  const informer =
    options.watch && namespace
      ? new Informer({
          kubeConfig: options.kubeConfig,
          resource: AGENT_CARD_RESOURCE,
          namespace,
          transform: stripManagedFields,
        })
      : undefined;
  informer?.start();
  await informer?.whenSynced();
  const started = performance.now();
  await inParallel(options.cards, options.concurrency, async (card) => {
    const { name, namespace } = card.metadata;
    // The body the controller's CardClient.apply sends.
    const stored = (await objects.patch(
      {
        apiVersion: AGENT_CARD_RESOURCE.apiVersion,
        kind: AGENT_CARD_RESOURCE.kind,
        metadata: {
          name,
          namespace,
          ...(card.metadata.labels ? { labels: card.metadata.labels } : {}),
          ...(card.metadata.annotations ? { annotations: card.metadata.annotations } : {}),
          ...(card.metadata.ownerReferences ? { ownerReferences: card.metadata.ownerReferences } : {}),
        },
        spec: card.spec,
      } as KubernetesObject,
      undefined,
      undefined,
      options.fieldManager,
      true,
      PatchStrategy.ServerSideApply,
    )) as unknown as AgentCard;
    // The body the controller's CardClient.applyStatus sends.
    const withStatus = (await custom.patchNamespacedCustomObjectStatus(
      {
        group: AGENT_CARD_RESOURCE.group,
        version: AGENT_CARD_RESOURCE.version,
        plural: AGENT_CARD_RESOURCE.plural,
        namespace: namespace ?? '',
        name,
        body: {
          apiVersion: AGENT_CARD_RESOURCE.apiVersion,
          kind: AGENT_CARD_RESOURCE.kind,
          metadata: { name, namespace },
          status: newCardStatus(stored.metadata.generation),
        },
        fieldManager: options.fieldManager,
        force: true,
      },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    )) as AgentCard;
    fingerprints.set(name, cardFingerprint(withStatus));
  });
  const elapsedMs = performance.now() - started;
  await informer?.stop();
  return { elapsedMs, fingerprints };
}
