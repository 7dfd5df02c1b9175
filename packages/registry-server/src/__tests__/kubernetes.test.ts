import { CoreV1Api, CustomObjectsApi, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { integration, type TestNamespace } from '@agent-registry/testing';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { silentLogger } from '../logger.js';
import { startServer, type RunningServer } from '../server.js';
import { CardIndex } from '../store/cardIndex.js';
import { API, json, names, readEvents } from './helpers.js';

type List = { items: { metadata: { name: string; namespace: string } }[] };
const group = { group: 'kagent.dev', version: 'v1alpha1', plural: 'agentcards' };

const agentCard = (namespace: string, name: string, description = `Card ${name}`) => ({
  apiVersion: 'kagent.dev/v1alpha1',
  kind: 'AgentCard',
  metadata: { name, namespace, labels: { suite: 'registry' } },
  spec: {
    endpoints: [`https://${name}.example.com/a2a`],
    metadata: { description },
    capabilities: ['testing'],
  },
});

integration.describe('Kubernetes store and auth against a real kube-apiserver', (controlPlane) => {
  const custom = controlPlane.kubeConfig.makeApiClient(CustomObjectsApi);
  let alpha: TestNamespace;
  let beta: TestNamespace;
  let registry: RunningServer;
  let secured: RunningServer;
  const compactions = vi.spyOn(CardIndex.prototype, 'compact');

  beforeAll(async () => {
    alpha = await controlPlane.createNamespace('registry-alpha');
    beta = await controlPlane.createNamespace('registry-beta');
    await custom.createNamespacedCustomObject({
      ...group,
      namespace: alpha.name,
      body: agentCard(alpha.name, 'existing'),
    });
    registry = await startServer({
      port: 0,
      store: 'kubernetes',
      kubeconfig: controlPlane.kubeConfig,
      namespaces: [alpha.name, beta.name],
      logger: silentLogger,
      rateLimit: 0,
      ui: false,
    });
    secured = await startServer({
      port: 0,
      store: 'kubernetes',
      kubeconfig: controlPlane.kubeConfig,
      auth: 'kubernetes',
      logger: silentLogger,
      rateLimit: 0,
      ui: false,
    });
  });
  afterAll(async () => {
    await registry?.close();
    await secured?.close();
    await alpha?.delete();
    await beta?.delete();
    compactions.mockRestore();
  });

  it('is ready after the initial sync and serves what was there before it started', async () => {
    // /readyz says ready or not, nothing more (store details are not public).
    expect(await json(await fetch(`${registry.url}/readyz`))).toEqual({ status: 'ok' });
    expect(registry.store.readiness()).toMatchObject({ ready: true, details: { store: 'kubernetes' } });
    expect(registry.store.source).toEqual({
      kind: 'kubernetes',
      location: controlPlane.kubeConfig.getCurrentCluster()?.server,
    });
    const body = await json<List>(await fetch(`${registry.url}${API}/cards`));
    expect(names(body)).toEqual([`${alpha.name}/existing`]);
    // The index is trimmed after each informer's first list, before the store reports ready: the
    // registry's two namespaces and the secured registry's one cluster-wide informer.
    expect(compactions).toHaveBeenCalledTimes(3);
  });

  it('shows cards created, changed and deleted in the apiserver within a second, also on the watch', async () => {
    const controller = new AbortController();
    const watch = await fetch(`${registry.url}${API}/cards?watch=true&namespace=${beta.name}`, {
      signal: controller.signal,
    });
    const events = readEvents(watch, (list) => list.length >= 3);
    const started = Date.now();
    await custom.createNamespacedCustomObject({
      ...group,
      namespace: beta.name,
      body: agentCard(beta.name, 'fresh'),
    });
    await expect
      .poll(async () => (await fetch(`${registry.url}${API}/cards/${beta.name}/fresh`)).status, {
        timeout: 1000,
        interval: 20,
      })
      .toBe(200);
    expect(Date.now() - started).toBeLessThan(1000);
    await custom.patchNamespacedCustomObject({
      ...group,
      namespace: beta.name,
      name: 'fresh',
      body: [{ op: 'replace', path: '/spec/metadata/description', value: 'Changed' }],
    });
    await expect
      .poll(
        async () =>
          (
            await json<{ description: string }>(
              await fetch(`${registry.url}${API}/cards/${beta.name}/fresh/a2a`),
            )
          ).description,
        {
          timeout: 1000,
          interval: 20,
        },
      )
      .toBe('Changed');
    await custom.deleteNamespacedCustomObject({ ...group, namespace: beta.name, name: 'fresh' });
    await expect
      .poll(async () => (await fetch(`${registry.url}${API}/cards/${beta.name}/fresh`)).status, {
        timeout: 1000,
        interval: 20,
      })
      .toBe(404);
    const seen = await events;
    controller.abort();
    expect(seen.map((e) => `${e.event} ${e.data.metadata.name}`)).toEqual([
      'ADDED fresh',
      'MODIFIED fresh',
      'DELETED fresh',
    ]);
  });

  it('auth=kubernetes: TokenReview + SubjectAccessReview decide what a ServiceAccount sees', async () => {
    const core = controlPlane.kubeConfig.makeApiClient(CoreV1Api);
    const rbac = controlPlane.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    await custom.createNamespacedCustomObject({
      ...group,
      namespace: beta.name,
      body: agentCard(beta.name, 'secret'),
    });
    await core.createNamespacedServiceAccount({
      namespace: alpha.name,
      body: { metadata: { name: 'reader' } },
    });
    await rbac.createNamespacedRole({
      namespace: alpha.name,
      body: {
        metadata: { name: 'agentcard-reader' },
        rules: [{ apiGroups: ['kagent.dev'], resources: ['agentcards'], verbs: ['get', 'list'] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: alpha.name,
      body: {
        metadata: { name: 'agentcard-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'agentcard-reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: alpha.name }],
      },
    });
    const tokenRequest = await core.createNamespacedServiceAccountToken({
      namespace: alpha.name,
      name: 'reader',
      body: { spec: { audiences: [], expirationSeconds: 600 } },
    });
    const token = tokenRequest.status?.token as string;
    expect(token).toBeTruthy();
    const as = (value: string): RequestInit => ({ headers: { authorization: `Bearer ${value}` } });

    await expect
      .poll(
        async () =>
          (await fetch(`${secured.url}${API}/cards/${beta.name}/secret`, as(controlPlane.token))).status,
        { timeout: 2000 },
      )
      .toBe(200);
    const visible = names(await json<List>(await fetch(`${secured.url}${API}/cards`, as(token))));
    expect(visible).toEqual([`${alpha.name}/existing`]);
    expect((await fetch(`${secured.url}${API}/cards/${alpha.name}/existing`, as(token))).status).toBe(200);
    expect((await fetch(`${secured.url}${API}/cards/${beta.name}/secret`, as(token))).status).toBe(404);
    expect(
      (await fetch(`${secured.url}/agents/${beta.name}/secret/.well-known/agent-card.json`, as(token)))
        .status,
    ).toBe(404);
    const admin = names(await json<List>(await fetch(`${secured.url}${API}/cards`, as(controlPlane.token))));
    expect(admin).toEqual(expect.arrayContaining([`${alpha.name}/existing`, `${beta.name}/secret`]));
    const invalid = await fetch(`${secured.url}${API}/cards`, as('not-a-real-token'));
    expect(invalid.status).toBe(401);
    expect(invalid.headers.get('www-authenticate')).toContain('Bearer');
  });
});
