import type { ProbeVerdict } from '@agent-registry/agent-prober';
import type { EndpointReadinessLookup } from '@agent-registry/kube-runtime';

/** `<service>.<namespace>` of an in-cluster service host, else undefined. */
export function serviceOfHost(
  host: string,
  clusterDomain: string,
): { service: string; namespace: string } | undefined {
  const suffix = `.svc.${clusterDomain}`;
  const lower = host.toLowerCase().replace(/\.$/, '');
  if (!lower.endsWith(suffix)) return undefined;
  const parts = lower.slice(0, -suffix.length).split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { service: parts[0], namespace: parts[1] };
}

/**
 * The prober's preflight in a cluster: an endpoint on an in-cluster Service with no ready endpoint (from the
 * EndpointSlice cache, never the apiserver) is Unhealthy without a request; anything else — another host, or a
 * namespace no synced cache covers — goes on to HTTP.
 */
export function serviceReadinessPreflight(
  endpoints: EndpointReadinessLookup,
  clusterDomain: string,
): (endpoint: URL) => ProbeVerdict | undefined {
  return (endpoint) => {
    const service = serviceOfHost(endpoint.hostname, clusterDomain);
    if (!service || endpoints.hasReadyEndpoints(service.namespace, service.service) !== false)
      return undefined;
    return {
      health: 'Unhealthy',
      reason: `service ${service.namespace}/${service.service} has no ready endpoints`,
    };
  };
}
