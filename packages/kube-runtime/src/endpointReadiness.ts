import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { Informer, keyOf, type ResourceType } from './informer.js';
import { silentLogger, type Logger } from './logger.js';

export const ENDPOINT_SLICE_RESOURCE: ResourceType = {
  group: 'discovery.k8s.io',
  version: 'v1',
  plural: 'endpointslices',
  kind: 'EndpointSlice',
};

/** The label that ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** The part of a discovery.k8s.io/v1 EndpointSlice (raw JSON) this cache reads. */
export interface EndpointSlice extends KubernetesObject {
  endpoints?: { conditions?: { ready?: boolean | null } }[] | null;
}

/** What the prober asks: does a Service have a ready endpoint? */
export interface EndpointReadinessLookup {
  /**
   * True/false from the cache; undefined when no synced cache covers the
   * namespace (EndpointSlices not served or not permitted, namespace not
   * watched), in which case the caller decides without it.
   */
  hasReadyEndpoints(namespace: string, service: string): boolean | undefined;
}

export interface EndpointReadinessOptions {
  kubeConfig: KubeConfig;
  /** Watched namespaces; empty = all. */
  namespaces: readonly string[];
  /** Default: silent. */
  logger?: Logger;
}

// EndpointConditions.ready: nil means ready (discovery.k8s.io/v1 API doc).
const sliceIsReady = (slice: EndpointSlice): boolean =>
  (slice.endpoints ?? []).some((endpoint) => endpoint.conditions?.ready !== false);

/**
 * Only what readiness needs is cached: a slice of a busy Service can list
 * hundreds of endpoints with addresses, ports, topology; one marker endpoint
 * keeps the answer.
 */
function shrink(slice: EndpointSlice): EndpointSlice {
  const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
  return {
    apiVersion: slice.apiVersion,
    kind: slice.kind,
    metadata: {
      name: slice.metadata?.name,
      namespace: slice.metadata?.namespace,
      resourceVersion: slice.metadata?.resourceVersion,
      ...(service === undefined ? {} : { labels: { [SERVICE_NAME_LABEL]: service } }),
    },
    endpoints: sliceIsReady(slice) ? [{ conditions: { ready: true } }] : [],
  };
}

/**
 * Ready endpoints per Service, from EndpointSlice informers (one for all
 * namespaces or one per watched namespace), so a probe costs a map lookup
 * instead of an apiserver LIST. The informers are optional: when
 * EndpointSlices are not served or not permitted they report `absent`
 * (readiness does not wait) and lookups answer undefined.
 */
export class EndpointReadiness implements EndpointReadinessLookup {
  readonly informers: Informer<EndpointSlice>[];
  private readonly byScope: Map<string | undefined, Informer<EndpointSlice>>;
  /** `namespace/service` → slice key → has a ready endpoint. */
  private readonly services = new Map<string, Map<string, boolean>>();
  /** slice key → `namespace/service` it was indexed under. */
  private readonly serviceOfSlice = new Map<string, string>();

  constructor(private readonly options: EndpointReadinessOptions) {
    const scopes: (string | undefined)[] =
      options.namespaces.length > 0 ? [...options.namespaces] : [undefined];
    this.byScope = new Map(
      scopes.map((namespace) => [
        namespace,
        new Informer<EndpointSlice>({
          kubeConfig: options.kubeConfig,
          resource: ENDPOINT_SLICE_RESOURCE,
          namespace,
          logger: options.logger ?? silentLogger,
          absentOn: [403, 404],
          transform: shrink,
        }),
      ]),
    );
    this.informers = [...this.byScope.values()];
    for (const informer of this.informers) {
      informer.on((type, slice) => (type === 'delete' ? this.remove(slice) : this.index(slice)));
    }
  }

  hasReadyEndpoints(namespace: string, service: string): boolean | undefined {
    const informer = this.byScope.get(this.options.namespaces.length > 0 ? namespace : undefined);
    if (informer?.state !== 'synced') return undefined;
    const slices = this.services.get(`${namespace}/${service}`);
    if (!slices) return false;
    for (const ready of slices.values()) if (ready) return true;
    return false;
  }

  start(): void {
    for (const informer of this.informers) informer.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map((informer) => informer.stop()));
  }

  private index(slice: EndpointSlice): void {
    this.remove(slice); // its service label may have changed
    const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    const namespace = slice.metadata?.namespace;
    if (!service || !namespace) return;
    const key = keyOf(slice);
    const serviceKey = `${namespace}/${service}`;
    let slices = this.services.get(serviceKey);
    if (!slices) this.services.set(serviceKey, (slices = new Map()));
    slices.set(key, sliceIsReady(slice));
    this.serviceOfSlice.set(key, serviceKey);
  }

  private remove(slice: EndpointSlice): void {
    const key = keyOf(slice);
    const serviceKey = this.serviceOfSlice.get(key);
    if (serviceKey === undefined) return;
    this.serviceOfSlice.delete(key);
    const slices = this.services.get(serviceKey);
    slices?.delete(key);
    if (slices?.size === 0) this.services.delete(serviceKey);
  }
}
