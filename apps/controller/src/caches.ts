import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { AgentCard } from '@agent-registry/crds';
import {
  EndpointReadiness,
  Informer,
  keyOf,
  stripManagedFields,
  type Logger,
} from '@agent-registry/kube-runtime';
import { isManaged, type ObservedState } from './reconciler.js';
import { AGENT_CARD_RESOURCE, SOURCE_KINDS, type SourceKind } from './sources.js';

export interface CachesOptions {
  kubeConfig: KubeConfig;
  /** Watched namespaces; empty = all. */
  namespaces: readonly string[];
  managedBy: string;
  logger: Logger;
}

/**
 * The controller's informers: one per source kind and one for AgentCards, for
 * all namespaces or one per watched namespace, plus the EndpointSlice cache the
 * prober reads. Informers run on every replica, so a standby that takes over
 * has warm caches.
 */
export class Caches {
  /** Agents and cards: every event about them queues the card's key. */
  readonly keyInformers: Informer[];
  /** Everything readiness waits for (key informers and EndpointSlices). */
  readonly all: Informer[];
  readonly cards: Informer<AgentCard & KubernetesObject>[];
  readonly endpoints: EndpointReadiness;
  readonly state: ObservedState;
  private readonly managedBy: string;

  constructor(options: CachesOptions) {
    const { kubeConfig, logger, namespaces } = options;
    this.managedBy = options.managedBy;
    const scopes: (string | undefined)[] = namespaces.length > 0 ? [...namespaces] : [undefined];
    const scopeOf = (namespace: string): string | undefined =>
      namespaces.length > 0 ? namespace : undefined;
    const sources = new Map<SourceKind['id'], Map<string | undefined, Informer>>(
      SOURCE_KINDS.map((kind) => [
        kind.id,
        new Map(
          scopes.map((ns) => [
            ns,
            // Nothing here reads managedFields: not caching them keeps 10,000 agents and cards smaller.
            new Informer({
              kubeConfig,
              resource: kind.resource,
              namespace: ns,
              logger,
              transform: stripManagedFields,
            }),
          ]),
        ),
      ]),
    );
    const cards = new Map(
      scopes.map((ns) => [
        ns,
        new Informer<AgentCard & KubernetesObject>({
          kubeConfig,
          resource: AGENT_CARD_RESOURCE,
          namespace: ns,
          logger,
          transform: stripManagedFields,
        }),
      ]),
    );
    this.cards = [...cards.values()];
    this.keyInformers = [
      ...[...sources.values()].flatMap((byScope) => [...byScope.values()]),
      ...(this.cards as Informer[]),
    ];
    this.endpoints = new EndpointReadiness({ kubeConfig, namespaces, logger });
    this.all = [...this.keyInformers, ...this.endpoints.informers];
    this.state = {
      source: (kind, namespace, name) => sources.get(kind.id)?.get(scopeOf(namespace))?.get(namespace, name),
      sourceSynced: (kind, namespace) => sources.get(kind.id)?.get(scopeOf(namespace))?.hasSynced ?? false,
      card: (namespace, name) => cards.get(scopeOf(namespace))?.get(namespace, name),
    };
  }

  /** The cards this controller manages, keyed `namespace/name`. */
  *managedCards(): Iterable<[string, AgentCard]> {
    for (const informer of this.cards) {
      for (const card of informer.list()) if (isManaged(card, this.managedBy)) yield [keyOf(card), card];
    }
  }

  /** Every key an agent or a card exists for. */
  keys(): Set<string> {
    const keys = new Set<string>();
    for (const informer of this.keyInformers) for (const object of informer.list()) keys.add(keyOf(object));
    return keys;
  }

  get synced(): boolean {
    return this.all.every((informer) => informer.hasSynced);
  }

  /** `plural.group` of the caches not synced yet. */
  pending(): string[] {
    return this.all.filter((i) => !i.hasSynced).map((i) => `${i.resource.plural}.${i.resource.group}`);
  }

  start(): void {
    for (const informer of this.all) informer.start();
  }

  async whenSynced(): Promise<void> {
    await Promise.all(this.all.map((informer) => informer.whenSynced()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.all.map((informer) => informer.stop()));
  }
}
