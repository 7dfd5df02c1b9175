import {
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { AGENT_CARD_RESOURCE, type AgentCard, type AgentCardStatus } from '@agent-registry/crds';
import { isNotFound } from '@agent-registry/kube-runtime';

/** Writes issued so far, by kind: how busy (or idle) the controller is. */
export interface WriteCounts {
  apply: number;
  status: number;
  delete: number;
}

export type WriteKind = keyof WriteCounts;

/**
 * Writes AgentCards. Every write is a server-side apply with one field
 * manager, so the controller owns exactly the fields it sets and nothing
 * else. On a card it knows is its own, `force: true` is used because these
 * fields are ours by contract: a conflict means someone edited a generated
 * field by hand, and the controller's job is to put the generated value back
 * (drift repair). A card its cache has not seen is applied without force, so
 * one someone else made meanwhile answers 409 instead of being taken over.
 */
export class CardClient {
  private readonly objects: KubernetesObjectApi;
  private readonly custom: CustomObjectsApi;
  readonly writes: WriteCounts = { apply: 0, status: 0, delete: 0 };

  constructor(
    kubeConfig: KubeConfig,
    readonly fieldManager: string,
    private readonly onWrite?: (kind: WriteKind) => void,
  ) {
    this.objects = KubernetesObjectApi.makeApiClient(kubeConfig);
    this.custom = kubeConfig.makeApiClient(CustomObjectsApi);
  }

  /**
   * Applies a card's metadata (labels, owner references) and spec; returns the stored card. Without
   * `force`, a field another manager owns with another value fails the write with 409 Conflict.
   */
  async apply(card: AgentCard, { force = true }: { force?: boolean } = {}): Promise<AgentCard> {
    const body = {
      apiVersion: AGENT_CARD_RESOURCE.apiVersion,
      kind: AGENT_CARD_RESOURCE.kind,
      metadata: {
        name: card.metadata.name,
        namespace: card.metadata.namespace,
        ...(card.metadata.labels ? { labels: card.metadata.labels } : {}),
        ...(card.metadata.annotations ? { annotations: card.metadata.annotations } : {}),
        ...(card.metadata.ownerReferences ? { ownerReferences: card.metadata.ownerReferences } : {}),
      },
      spec: card.spec,
    };
    this.count('apply');
    const stored = await this.objects.patch(
      body as KubernetesObject,
      undefined,
      undefined,
      this.fieldManager,
      force,
      PatchStrategy.ServerSideApply,
    );
    return stored as unknown as AgentCard;
  }

  /**
   * Applies the status subresource. The status is sent whole (conditions,
   * health, lastSeen, observedGeneration): with server-side apply, a field
   * this manager set before and leaves out now would be removed.
   */
  async applyStatus(namespace: string, name: string, status: AgentCardStatus): Promise<AgentCard> {
    this.count('status');
    const stored = await this.custom.patchNamespacedCustomObjectStatus(
      {
        group: AGENT_CARD_RESOURCE.group,
        version: AGENT_CARD_RESOURCE.version,
        plural: AGENT_CARD_RESOURCE.plural,
        namespace,
        name,
        body: {
          apiVersion: AGENT_CARD_RESOURCE.apiVersion,
          kind: AGENT_CARD_RESOURCE.kind,
          metadata: { name, namespace },
          status,
        },
        fieldManager: this.fieldManager,
        force: true,
      },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
    return stored as AgentCard;
  }

  /**
   * Deletes a card, only if it is still the object we looked at (uid
   * precondition). Returns false when it was already gone.
   */
  async delete(namespace: string, name: string, uid?: string): Promise<boolean> {
    this.count('delete');
    try {
      await this.custom.deleteNamespacedCustomObject({
        group: AGENT_CARD_RESOURCE.group,
        version: AGENT_CARD_RESOURCE.version,
        plural: AGENT_CARD_RESOURCE.plural,
        namespace,
        name,
        propagationPolicy: 'Background',
        body: uid ? { preconditions: { uid } } : {},
      });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  private count(kind: WriteKind): void {
    this.writes[kind] += 1;
    this.onWrite?.(kind);
  }
}
