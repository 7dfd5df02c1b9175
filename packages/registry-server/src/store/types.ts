import type { AgentCard, Health, Problem } from '@agent-registry/crds';
import type {
  CardEvent,
  CardEventType,
  CardPage as ReaderCardPage,
  CardQuery,
  RegistryReader,
} from '@agent-registry/registry-client';

// The query, page and event shapes are @agent-registry/registry-client's `RegistryReader` contract, which
// the stores implement; the registry's page adds the resume point of a watch.
export type { CardEvent, CardEventType, CardQuery };

export interface CardPage extends ReaderCardPage {
  /** `<epoch>.<sequence>` of the store when the page was read: a watch resume point. */
  resourceVersion?: string;
}

/** A change as the store records it: with its sequence number and the card it replaced. */
export interface SequencedCardEvent extends CardEvent {
  /** Monotonic per store instance; the SSE event id is `<epoch>.<sequence>`. */
  sequence: number;
  /** The card before a MODIFIED or DELETED (lets a filtered watch tell "left the filter" apart). */
  previous?: AgentCard;
}

/** Replay of the recent changes after a given sequence, or why it is impossible. */
export type ReplayResult =
  { ok: true; events: SequencedCardEvent[] } | { ok: false; oldest: number; current: number };

/**
 * A problem in the store's source (a manifest file): crds' `Problem` — `path` into the resource
 * (`spec.endpoints[0]`; `(root)`, crds' `ROOT_PATH`, for a file or document as a whole) and the rule
 * that was broken as `message` — with where the resource is. Never quoting content (but for metadata
 * a kube-apiserver would reject: its one offending value, as the apiserver words it). `namespace`
 * decides who may see it; without one only callers who see every namespace do.
 */
export interface SourceProblem extends Problem {
  /** Path relative to the manifests directory. */
  file: string;
  /** 0-based index of the YAML document (always 0 for JSON). */
  document?: number;
  /** 0-based index inside a `kind: List`. */
  item?: number;
  /** 1-based line and column in the file, when the parser knows them. */
  line?: number;
  column?: number;
  namespace?: string;
}

/** Restricts what a caller may see; `undefined` means everything. */
export type NamespaceVisibility = ReadonlySet<string> | undefined;

/** Extra, non-contract parts of a list call. */
export interface ListOptions {
  /** Namespaces the caller may see (auth); `undefined` = all. */
  visibleNamespaces?: NamespaceVisibility;
}

export interface StoreReadiness {
  ready: boolean;
  /** Why not ready, in a fixed phrase (no paths, no names): what /readyz may say to anyone. */
  reason?: string;
  /** Counts and state for tests and logs; never served on /readyz. */
  details?: Record<string, unknown>;
}

/**
 * Where a store's cards come from. A store holds one source today; a registry serving several (clusters,
 * directories, upstream registries) will compose stores behind one `CardStore`, each card keeping the source
 * of the store it came from.
 */
export interface CardSource {
  kind: 'manifests' | 'kubernetes';
  /** The manifests directory, or the apiserver's URL. */
  location: string;
}

/**
 * The registry's read model: implements `RegistryReader` of @agent-registry/registry-client; the extra
 * members serve SSE resume, metrics and probes.
 */
export interface CardStore extends RegistryReader {
  /** Where every card of this store comes from. */
  readonly source: CardSource;
  /** Throws {@link QueryError} for a bad selector or continue token. */
  list(query: CardQuery, options?: ListOptions): CardPage;
  get(namespace: string, name: string): AgentCard | undefined;
  /** `JSON.stringify(card)` as UTF-8 bytes, for a card this store returned: kept, not made again. */
  serialized(card: AgentCard): Buffer;
  subscribe(listener: (event: CardEvent) => void): () => void;
  /** Like subscribe, with sequence numbers and previous cards. */
  subscribeSequenced(listener: (event: SequencedCardEvent) => void): () => void;
  /** The events after `sequence`, if the ring buffer still holds them all. */
  eventsSince(sequence: number): ReplayResult;
  /** The latest sequence number. */
  readonly sequence: number;
  /** Random per store instance: event ids and resourceVersions are `<epoch>.<sequence>`. */
  readonly epoch: string;
  readonly size: number;
  /** Card counts by health, for the `agent_registry_cards` gauge. */
  countByHealth(): Record<Health, number>;
  /** Namespaces that hold at least one card. */
  namespaces(): string[];
  readiness(): StoreReadiness;
  /** Problems with the store's source (embedded: manifest files), for the problems endpoint and logs. */
  problems?(): SourceProblem[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A user error in a query (bad selector, token, limit): the HTTP layer maps it to 400. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** The stores a registry can create by name: a manifest directory, or a Kubernetes informer cache. */
export const STORE_KINDS = ['embedded', 'kubernetes'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];
