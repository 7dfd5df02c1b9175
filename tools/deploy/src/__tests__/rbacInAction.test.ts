import { CoordinationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { integration, type IntegrationControlPlane } from '@agent-registry/testing';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '@agent-registry/app-shell';
import {
  parseConfig as parseControllerConfig,
  startController,
  type RunningController,
} from '@agent-registry/controller';
import { a2aAgent, kagentAgent, kube, REGISTER, waitFor } from '@agent-registry/controller/testing';
import { parseConfig as parseRegistryConfig } from '@agent-registry/registry';
import { createKubernetesAuthenticator, KubernetesStore } from '@agent-registry/registry-server/kubernetes';
import { objectsOfKind, podSpecOf, renderChart, type PodSpec, type RenderedObject } from '../chart.js';
import { kubectlWithObjects, uniqueSuffix } from '../cluster.js';
import { impersonating, serviceAccountUser, whoAmI } from '../impersonation.js';

/*
 * The end-to-end half of the RBAC proof (rbac.test.ts asks the authorizer rule by rule): the chart's
 * ServiceAccounts, Roles/ClusterRoles and bindings are installed for real, then the real controller and
 * the registry's Kubernetes store run in-process as those ServiceAccounts (impersonated) and do their
 * whole job. A missing rule shows up as a 403 in their logs, a card that never appears, or a store that
 * never becomes ready; the negative control shows those symptoms with a ServiceAccount that has no bindings.
 */

const INSTALLED_KINDS = new Set([
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'ClusterRole',
  'ClusterRoleBinding',
]);
const FIELD_MANAGER = 'deploy-tests';
const FORBIDDEN = /\b403\b|forbidden/i;
type App = 'controller' | 'registry';

interface Release {
  fullname: string;
  namespace: string;
  objects: RenderedObject[];
  /** Deletes the cluster-scoped objects (namespaced ones go with the namespace). */
  uninstall(): Promise<void>;
}

/** Renders the chart and applies its ServiceAccounts and RBAC for real. */
async function installRbac(
  cp: IntegrationControlPlane,
  namespace: string,
  values: Record<string, unknown>,
): Promise<Release> {
  const fullname = `inaction-${uniqueSuffix()}`;
  const objects = await renderChart({ namespace, values: { fullnameOverride: fullname, ...values } });
  const installed = objects.filter((o) => INSTALLED_KINDS.has(o.kind));
  await kubectlWithObjects(cp, ['apply', '--server-side', '--field-manager', FIELD_MANAGER], installed);
  const clusterScoped = installed.filter((o) => o.kind.startsWith('Cluster'));
  return {
    fullname,
    namespace,
    objects,
    async uninstall() {
      if (clusterScoped.length > 0)
        await kubectlWithObjects(cp, ['delete', '--ignore-not-found', '--wait=false'], clusterScoped);
    },
  };
}

/** The pod spec of the app's Deployment. */
function podOf(release: Release, app: App): PodSpec {
  const deployment = objectsOfKind(release.objects, 'Deployment').find(
    (d) => d.metadata.name === `${release.fullname}-${app}`,
  );
  if (!deployment) throw new Error(`no ${app} Deployment rendered`);
  return podSpecOf(deployment);
}

/** The environment the kubelet would give the app's container in the release namespace. */
function podEnv(release: Release, app: App): Record<string, string> {
  const fields: Record<string, string> = {
    'metadata.namespace': release.namespace,
    'metadata.name': 'pod-0',
  };
  return Object.fromEntries(
    (podOf(release, app).containers[0]?.env ?? []).map((e) => {
      const fieldPath = (e.valueFrom as { fieldRef?: { fieldPath?: string } } | undefined)?.fieldRef
        ?.fieldPath;
      return [e.name, e.value ?? (fieldPath ? fields[fieldPath] : undefined) ?? ''];
    }),
  );
}

/** A kubeconfig acting as the ServiceAccount the chart runs `app` as. */
function asServiceAccountOf(cp: IntegrationControlPlane, release: Release, app: App): KubeConfig {
  const name = podOf(release, app).serviceAccountName;
  if (!name) throw new Error(`the ${app} Deployment names no ServiceAccount`);
  return impersonating(cp.kubeConfig, serviceAccountUser({ namespace: release.namespace, name }));
}

/** The real controller, configured from the chart's environment, acting as `kubeConfig`, logging into `lines`. */
async function runController(
  release: Release,
  kubeConfig: KubeConfig,
): Promise<{
  controller: RunningController;
  lines: string[];
}> {
  const config = {
    ...parseControllerConfig([], podEnv(release, 'controller')).config,
    httpPort: 0,
    httpHost: '127.0.0.1',
    // No cluster DNS here: keep the prober quiet.
    probeIntervalMs: 60 * 60_000,
  };
  expect(config.leaderElect).toBe(true);
  const lines: string[] = [];
  const controller = await startController(config, {
    kubeConfig,
    logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }),
    processMetrics: false,
    leaderRetryPeriodMs: 200,
    shutdownTimeoutMs: 2000,
    probeFetch: () => Promise.reject(new Error('no cluster DNS in this test')),
  });
  onTestFinished(() => controller.stop());
  return { controller, lines };
}

/** The registry's Kubernetes store, configured from the chart's environment, acting as `kubeConfig`. */
async function runStore(release: Release, kubeConfig: KubeConfig) {
  const parsed = parseRegistryConfig([], podEnv(release, 'registry'), '/');
  if (parsed.help) throw new Error('unexpected --help');
  const { config } = parsed;
  expect(config.store).toBe('kubernetes');
  const lines: string[] = [];
  const store = new KubernetesStore({
    kubeConfig,
    namespaces: config.namespaces,
    minBackoffMs: 200,
    logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }),
  });
  onTestFinished(() => store.stop());
  await store.start();
  return { store, lines, config };
}

const forbiddenLines = (lines: readonly string[]) => lines.filter((line) => FORBIDDEN.test(line));

/**
 * Waits for `check` to hold, failing at once when the apps log a 403: the line names the missing
 * rule (resource, verb), which a timeout would not.
 */
function untilUnlessForbidden(logs: readonly (readonly string[])[]) {
  return async <T>(
    what: string,
    check: () => Promise<T | undefined | false> | T | undefined | false,
    timeoutMs = 15_000,
  ): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const forbidden = logs.flatMap(forbiddenLines);
      if (forbidden.length > 0) throw new Error(`403 while waiting for ${what}:\n${forbidden.join('')}`);
      const value = await check();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
}

async function leaseHolder(cp: IntegrationControlPlane, namespace: string, name: string) {
  const lease = await cp.kubeConfig.makeApiClient(CoordinationV1Api).readNamespacedLease({ namespace, name });
  return lease.spec?.holderIdentity;
}

integration.withKagent('the chart RBAC is enough for the real apps (impersonated ServiceAccounts)', (cp) => {
  const admin = kube(cp.kubeConfig);

  describe('watchNamespaces: Roles in the watched namespace', () => {
    let release: Release;
    let watched = '';

    beforeAll(async () => {
      const releaseNamespace = (await cp.createNamespace('inaction-release')).name;
      watched = (await cp.createNamespace('inaction-team')).name;
      release = await installRbac(cp, releaseNamespace, {
        watchNamespaces: [watched],
        registry: { auth: { mode: 'kubernetes' } },
      });
    });
    afterAll(() => release?.uninstall());

    it('impersonation acts as the controller ServiceAccount with its groups', async () => {
      const who = await whoAmI(asServiceAccountOf(cp, release, 'controller'));
      expect(who.username).toBe(`system:serviceaccount:${release.namespace}:${release.fullname}-controller`);
      expect(who.groups).toEqual(
        expect.arrayContaining([
          'system:serviceaccounts',
          `system:serviceaccounts:${release.namespace}`,
          'system:authenticated',
        ]),
      );
    });

    it('controller and registry do their whole job, with no 403', async () => {
      const { controller, lines } = await runController(
        release,
        asServiceAccountOf(cp, release, 'controller'),
      );
      const logs = [lines];
      const until = untilUnlessForbidden(logs);
      await until('caches synced', () => controller.isReady());
      await until('leadership', () => controller.isLeader());
      const leaseName = `${release.fullname}-controller`;
      expect(await leaseHolder(cp, release.namespace, leaseName)).toBe(controller.identity);

      // A kagent Agent with a broken annotation: a card (degraded) and a Warning Event.
      const chat = await admin.apply(
        kagentAgent(watched, 'chat', { ...REGISTER, 'kagent.dev/a2a-endpoint': 'not a url' }),
      );
      const card = await until('the kagent card with conditions', async () => {
        const found = await admin.card(watched, 'chat');
        return found?.status?.conditions?.length ? found : undefined;
      });
      expect(card.metadata.ownerReferences?.[0]?.uid).toBe(chat.metadata?.uid);
      expect(card.status?.conditions).toEqual(
        expect.arrayContaining([expect.objectContaining({ type: 'Degraded', status: 'True' })]),
      );
      const event = await until('the Warning Event on the agent', async () =>
        (await admin.events(watched)).find(
          (e) => e.regarding?.name === 'chat' && e.regarding.kind === 'Agent' && e.type === 'Warning',
        ),
      );
      expect(event.reportingController).toBe('agent-registry.dev/controller');
      expect(event.note).toContain('kagent.dev/a2a-endpoint');

      // An a2a.io Agent: a card.
      const echo = await admin.apply(
        a2aAgent(watched, 'echo', { description: 'echo', endpoints: [{ url: 'https://echo.example.com' }] }),
      );
      await until('the a2a.io card', async () => (await admin.card(watched, 'echo'))?.status?.conditions);

      // The registry's store, as the registry ServiceAccount, lists both.
      const registryKubeConfig = asServiceAccountOf(cp, release, 'registry');
      const { store, lines: storeLines, config } = await runStore(release, registryKubeConfig);
      logs.push(storeLines);
      expect(config.namespaces).toEqual([watched]);
      expect(store.readiness()).toMatchObject({ ready: true });
      await until('both cards in the registry', () => store.size === 2);
      expect(
        store
          .list({})
          .items.map((c) => c.metadata.name)
          .sort(),
      ).toEqual(['chat', 'echo']);

      // --auth kubernetes: TokenReview and SubjectAccessReview as the registry ServiceAccount.
      const authLines: string[] = [];
      logs.push(authLines);
      const auth = createKubernetesAuthenticator({
        kubeConfig: registryKubeConfig,
        logger: createLogger({ level: 'debug', write: (line) => authLines.push(line) }),
      });
      const principal = await auth.authenticate(cp.token);
      expect(principal?.name).toBe('admin');
      expect(await principal?.canRead(watched, 'list')).toBe(true);

      // Opting out deletes the card; deleting the a2a.io Agent too (no garbage collector runs here).
      await admin.setAnnotations(chat, {});
      await until('the kagent card deleted', async () => (await admin.card(watched, 'chat')) === undefined);
      await admin.remove(echo);
      await until('the a2a.io card deleted', async () => (await admin.card(watched, 'echo')) === undefined);
      await until('the registry empty', () => store.size === 0);

      await controller.whenIdle();
      expect(controller.writes()).toMatchObject({ delete: 2, event: 1 });
      expect(logs.flatMap(forbiddenLines)).toEqual([]);
    });

    it('negative control: a ServiceAccount without bindings gets nowhere, and says 403', async () => {
      const unbound = impersonating(
        cp.kubeConfig,
        serviceAccountUser({ namespace: release.namespace, name: `${release.fullname}-unbound` }),
      );
      const { controller, lines } = await runController(release, unbound);
      await admin.apply(kagentAgent(watched, 'ignored', REGISTER));
      const { store, lines: storeLines } = await runStore(release, unbound);
      await waitFor(
        '403s logged',
        () => forbiddenLines(lines).length > 0 && forbiddenLines(storeLines).length > 0,
      );
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(controller.isReady()).toBe(false);
      expect(controller.isLeader()).toBe(false);
      expect(await admin.card(watched, 'ignored')).toBeUndefined();
      expect(store.readiness()).toMatchObject({ ready: false });
    });
  });

  describe('all namespaces: ClusterRoles', () => {
    let release: Release;

    beforeAll(async () => {
      const releaseNamespace = (await cp.createNamespace('inaction-release-all')).name;
      release = await installRbac(cp, releaseNamespace, {});
      expect(objectsOfKind(release.objects, 'ClusterRole').length).toBeGreaterThanOrEqual(2);
    });
    afterAll(() => release?.uninstall());

    it('controller and registry work cluster-wide, with no 403', async () => {
      const { controller, lines } = await runController(
        release,
        asServiceAccountOf(cp, release, 'controller'),
      );
      const logs = [lines];
      const until = untilUnlessForbidden(logs);
      await until('caches synced', () => controller.isReady());
      await until('leadership', () => controller.isLeader());
      expect(await leaseHolder(cp, release.namespace, `${release.fullname}-controller`)).toBe(
        controller.identity,
      );

      const team = (await cp.createNamespace('inaction-anywhere')).name;
      await admin.apply(kagentAgent(team, 'chat', REGISTER));
      await until(
        'the card with conditions',
        async () => (await admin.card(team, 'chat'))?.status?.conditions,
      );

      const {
        store,
        lines: storeLines,
        config,
      } = await runStore(release, asServiceAccountOf(cp, release, 'registry'));
      logs.push(storeLines);
      expect(config.namespaces).toEqual([]);
      expect(store.readiness()).toMatchObject({ ready: true });
      await until('the card in the registry', () => store.get(team, 'chat'));

      expect(logs.flatMap(forbiddenLines)).toEqual([]);
    });
  });
});
