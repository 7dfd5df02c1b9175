import { DiscoveryV1Api, type V1EndpointSlice } from '@kubernetes/client-node';
import { integration } from '@agent-registry/testing';
import { expect, onTestFinished, test, vi } from 'vitest';
import { EndpointReadiness, SERVICE_NAME_LABEL } from '../endpointReadiness.js';

const slice = (
  namespace: string,
  name: string,
  service: string,
  ready: boolean | undefined,
): V1EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, namespace, labels: { [SERVICE_NAME_LABEL]: service } },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['10.0.0.1'], conditions: ready === undefined ? {} : { ready } }],
});

integration.describe('EndpointReadiness (shared control plane)', (cp) => {
  const discovery = cp.kubeConfig.makeApiClient(DiscoveryV1Api);

  test('answers from EndpointSlice caches: a ready (or unset) endpoint makes a Service ready', async () => {
    const { name: ns } = await cp.createNamespace('endpoints');
    const { name: other } = await cp.createNamespace('unwatched');
    await discovery.createNamespacedEndpointSlice({ namespace: ns, body: slice(ns, 'web-1', 'web', false) });
    await discovery.createNamespacedEndpointSlice({
      namespace: ns,
      body: slice(ns, 'api-1', 'api', undefined),
    });
    const readiness = new EndpointReadiness({ kubeConfig: cp.kubeConfig, namespaces: [ns] });
    readiness.start();
    onTestFinished(() => readiness.stop());
    await Promise.all(readiness.informers.map((informer) => informer.whenSynced()));

    expect(readiness.hasReadyEndpoints(ns, 'web')).toBe(false);
    expect(readiness.hasReadyEndpoints(ns, 'api')).toBe(true); // `ready` unset counts as ready
    expect(readiness.hasReadyEndpoints(ns, 'missing')).toBe(false);
    expect(readiness.hasReadyEndpoints(other, 'web')).toBeUndefined(); // no cache covers it

    await discovery.createNamespacedEndpointSlice({ namespace: ns, body: slice(ns, 'web-2', 'web', true) });
    await vi.waitFor(() => expect(readiness.hasReadyEndpoints(ns, 'web')).toBe(true));
    await discovery.deleteNamespacedEndpointSlice({ namespace: ns, name: 'web-2' });
    await vi.waitFor(() => expect(readiness.hasReadyEndpoints(ns, 'web')).toBe(false));
  });
});
