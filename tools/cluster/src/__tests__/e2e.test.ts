// End to end in a real single-node cluster: the Helm chart installed with images built here,
// agents of both source kinds running as pods of the demo agent, health probed through their
// Services, the garbage collector, leader handover, helm upgrade and uninstall.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { isCi, officialA2ASchema, repositoryRoot, sharedFile } from '@agent-registry/testing';
import { checkPrerequisites, startCluster, type Cluster } from '../index.js';

const prerequisites = checkPrerequisites();
const kagentCrd = sharedFile('kagent/kagent.dev_agents.yaml');
if (!prerequisites.ok) {
  const reason = `end-to-end cluster unavailable:\n  - ${prerequisites.missing.join('\n  - ')}`;
  if (isCi()) throw new Error(`CI=true and the ${reason}`);
  console.warn(`\n⚠️  END-TO-END TESTS SKIPPED: ${reason}\n`);
}
const canRun = prerequisites.ok && kagentCrd.available;

const RELEASE = 'agent-registry';
const SYSTEM = 'agent-registry';
const AGENTS = 'e2e-agents';
const PROBE_INTERVAL = '3s';
const LEASE_DURATION_S = 15;

const timings: { scenario: string; seconds: number; result: string }[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value other than undefined. */
async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ''}`);
    await sleep(500);
  }
}

describe.skipIf(!canRun)('end to end in a real cluster', () => {
  let cluster: Cluster;
  let registryUrl: string;
  let manifestCount = 0;

  const kubectl = (...args: string[]) => cluster.kubectl(args);
  const json = async <T = unknown>(...args: string[]): Promise<T> =>
    JSON.parse(await kubectl(...args, '-o', 'json')) as T;
  const apply = async (objects: object[]) => {
    const file = join(cluster.runDir, `manifest-${++manifestCount}.yaml`);
    writeFileSync(file, objects.map((object) => stringify(object)).join('---\n'));
    return kubectl('apply', '--server-side', '--field-manager=e2e', '-f', file);
  };
  const cardHealth = async (name: string) =>
    (
      await kubectl('get', 'agentcards.kagent.dev', name, '-n', AGENTS, '-o', 'jsonpath={.status.health}')
    ).trim();
  // The scenarios build on each other (one cluster, one release): after a failure the rest fail at once
  // instead of each waiting out its timeouts.
  let firstFailure: string | undefined;
  const scenario = (name: string, body: () => Promise<void>, timeoutMs?: number) =>
    it(
      name,
      async () => {
        if (firstFailure) throw new Error(`not run: an earlier scenario failed (${firstFailure})`);
        const started = performance.now();
        let result = 'failed';
        try {
          await body();
          result = 'passed';
        } catch (error) {
          firstFailure = name;
          console.log(`e2e: ${name}: ${error instanceof Error ? error.message : String(error)}`);
          throw error;
        } finally {
          const seconds = Math.round((performance.now() - started) / 100) / 10;
          timings.push({ scenario: name, seconds, result });
          console.log(`e2e: ${result} in ${seconds} s: ${name}`);
        }
      },
      timeoutMs,
    );
  const helmImageValues = () => [
    '--set',
    `controller.image.repository=${cluster.images.controller.split(':')[0]}`,
    '--set',
    `controller.image.tag=${cluster.images.controller.split(':')[1]}`,
    '--set',
    'controller.image.pullPolicy=Never',
    '--set',
    `registry.image.repository=${cluster.images.registry.split(':')[0]}`,
    '--set',
    `registry.image.tag=${cluster.images.registry.split(':')[1]}`,
    '--set',
    'registry.image.pullPolicy=Never',
    '--set',
    `controller.probe.interval=${PROBE_INTERVAL}`,
    '--set',
    'controller.probe.timeout=2s',
    '--set',
    `controller.leaderElection.leaseDuration=${LEASE_DURATION_S}s`,
    '--set',
    'registry.replicas=1',
  ];
  /** A Deployment + Service of the demo agent named `name`, serving on port 8080. */
  const demoAgent = (name: string) => [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: AGENTS },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: {
            containers: [
              {
                name: 'agent',
                image: cluster.images['demo-agent'],
                imagePullPolicy: 'Never',
                env: [
                  { name: 'AGENT_NAME', value: name },
                  { name: 'AGENT_URL', value: `http://${name}.${AGENTS}.svc.cluster.local:8080/` },
                ],
                ports: [{ name: 'a2a', containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 2 },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: AGENTS },
      spec: { selector: { app: name }, ports: [{ name: 'a2a', port: 8080, targetPort: 8080 }] },
    },
  ];
  const controllerPods = async () =>
    (
      await json<{
        items: { metadata: { name: string; deletionTimestamp?: string }; status: { podIP?: string } }[];
      }>('get', 'pods', '-n', SYSTEM, '-l', 'app.kubernetes.io/component=controller')
    ).items.filter((pod) => !pod.metadata.deletionTimestamp);
  const metric = async (podIP: string, name: string): Promise<number> => {
    const text = await (
      await fetch(`http://${podIP}:8081/metrics`, { signal: AbortSignal.timeout(3_000) })
    ).text();
    return text
      .split('\n')
      .filter((line) => line.startsWith(name))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  };

  beforeAll(async () => {
    cluster = await startCluster({ log: (line) => console.log(line) });
    timings.push({
      scenario: 'node Ready (incl. images)',
      seconds: cluster.timings.nodeReadySeconds,
      result: 'ok',
    });
    for (const image of cluster.timings.images)
      timings.push({
        scenario: `image ${image.name}`,
        seconds: image.buildSeconds,
        result: image.buildSeconds ? 'built' : 'cached',
      });
  });

  afterAll(async () => {
    await cluster?.stop();
    console.log(
      `\ne2e timings (s):\n${timings.map((t) => `  ${String(t.seconds).padStart(7)}  ${t.result.padEnd(7)} ${t.scenario}`).join('\n')}\n`,
    );
  });

  scenario(
    'helm install with the images built here: both Deployments become Available',
    async () => {
      if (!kagentCrd.available) throw new Error(kagentCrd.reason);
      // kagent first, as docs/install.md says: its CRD exists when the controller starts.
      await kubectl('apply', '--server-side', '-f', kagentCrd.path);
      await eventually('kagent CRD Established', async () =>
        (await kubectl(
          'get',
          'crd',
          'agents.kagent.dev',
          '-o',
          'jsonpath={.status.conditions[?(@.type=="Established")].status}',
        )) === 'True'
          ? true
          : undefined,
      );
      await cluster.helm([
        'install',
        RELEASE,
        join(repositoryRoot, 'charts', 'agent-registry'),
        '--namespace',
        SYSTEM,
        '--create-namespace',
        '--wait',
        '--timeout',
        '5m',
        ...helmImageValues(),
      ]);
      for (const deployment of ['agent-registry-controller', 'agent-registry-registry']) {
        const available = await kubectl(
          'get',
          'deployment',
          deployment,
          '-n',
          SYSTEM,
          '-o',
          'jsonpath={.status.conditions[?(@.type=="Available")].status}',
        );
        expect(available, deployment).toBe('True');
      }
      const service = await json<{ spec: { clusterIP: string } }>(
        'get',
        'service',
        'agent-registry-registry',
        '-n',
        SYSTEM,
      );
      registryUrl = `http://${service.spec.clusterIP}:8084`;
      // Through the Service's ClusterIP (kube-proxy), not a port-forward.
      // (kube-proxy programs the Service a moment after the endpoints turn ready)
      const ready = await eventually(
        'the registry through its ClusterIP',
        async () => {
          const response = await fetch(`${registryUrl}/readyz`, { signal: AbortSignal.timeout(3_000) });
          return response.ok ? response : undefined;
        },
        30_000,
      );
      expect(ready.status).toBe(200);
      // The admission policy is live: an AgentCard with a host-less endpoint is denied.
      await kubectl('create', 'namespace', AGENTS);
      await expect(
        apply([
          {
            apiVersion: 'kagent.dev/v1alpha1',
            kind: 'AgentCard',
            metadata: { name: 'bad-endpoint', namespace: AGENTS },
            // The CRD schema lets `http://` through (it only checks the prefix); the policy does not.
            spec: { a2aVersion: '0.3.0', endpoints: ['http://'] },
          },
        ]),
      ).rejects.toThrow(/ValidatingAdmissionPolicy .* denied request/);
    },
    420_000,
  );

  scenario(
    'agents of both kinds as pods: cards appear, are served through the registry Service and turn Healthy',
    async () => {
      await apply([
        ...demoAgent('echo-kagent'),
        ...demoAgent('echo-a2a'),
        {
          apiVersion: 'kagent.dev/v1alpha2',
          kind: 'Agent',
          metadata: {
            name: 'echo-kagent',
            namespace: AGENTS,
            annotations: {
              'kagent.dev/register-to-registry': 'true',
              'kagent.dev/capabilities': 'echo',
              // Card metadata in kagent's own `kagent.dev/card-<key>` form.
              'kagent.dev/card-provider.organization': 'E2E Team',
              'kagent.dev/card-provider.url': 'https://e2e.example.com',
            },
          },
          spec: {
            description: 'Echo agent (kagent BYO).',
            type: 'BYO',
            byo: { deployment: { image: cluster.images['demo-agent'] } },
          },
        },
        {
          apiVersion: 'a2a.io/v1',
          kind: 'Agent',
          metadata: { name: 'echo-a2a', namespace: AGENTS },
          spec: {
            description: 'Echo agent (a2a.io).',
            version: '1.0.0',
            endpoints: [{ url: `http://echo-a2a.${AGENTS}.svc.cluster.local:8080/`, transport: 'JSONRPC' }],
            capabilities: [
              { name: 'Echo', id: 'echo', description: 'Replies with what it was sent.', tags: ['demo'] },
            ],
          },
        },
      ]);
      for (const name of ['echo-kagent', 'echo-a2a']) {
        await eventually(
          `card ${name} Healthy`,
          async () => ((await cardHealth(name)) === 'Healthy' ? true : undefined),
          150_000,
        );
      }
      const list = (await (
        await fetch(`${registryUrl}/api/v1alpha1/registry/cards?namespace=${AGENTS}`)
      ).json()) as unknown;
      expect(JSON.stringify(list)).toContain('echo-kagent');
      expect(JSON.stringify(list)).toContain('echo-a2a');
      const schema = officialA2ASchema();
      for (const name of ['echo-kagent', 'echo-a2a']) {
        const response = await fetch(`${registryUrl}/agents/${AGENTS}/${name}/.well-known/agent-card.json`);
        expect(response.status, name).toBe(200);
        const card = (await response.json()) as { name: string; url: string };
        expect(card.url).toMatch(new RegExp(`^http://${name}\\.${AGENTS}\\.svc\\.cluster\\.local:8080/?$`));
        if (schema.available) expect(schema.agentCardErrors(card), name).toEqual([]);
        if (name === 'echo-kagent')
          expect((card as { provider?: unknown }).provider).toEqual({
            organization: 'E2E Team',
            url: 'https://e2e.example.com',
          });
      }
    },
    240_000,
  );

  scenario(
    'an agent scaled to 0 turns Unhealthy, back to 1 Healthy',
    async () => {
      await kubectl('scale', 'deployment', 'echo-a2a', '-n', AGENTS, '--replicas=0');
      await eventually(
        'echo-a2a Unhealthy',
        async () => ((await cardHealth('echo-a2a')) === 'Unhealthy' ? true : undefined),
        90_000,
      );
      await kubectl('scale', 'deployment', 'echo-a2a', '-n', AGENTS, '--replicas=1');
      await eventually(
        'echo-a2a Healthy',
        async () => ((await cardHealth('echo-a2a')) === 'Healthy' ? true : undefined),
        120_000,
      );
    },
    240_000,
  );

  scenario(
    'two controller replicas: deleting the leader hands over within the lease duration, no double writes',
    async () => {
      const lease = async () =>
        (
          await kubectl(
            'get',
            'lease',
            'agent-registry-controller',
            '-n',
            SYSTEM,
            '-o',
            'jsonpath={.spec.holderIdentity}',
          )
        ).trim();
      const pods = await eventually('two controller pods', async () => {
        const all = await controllerPods();
        return all.length === 2 && all.every((pod) => pod.status.podIP) ? all : undefined;
      });
      const holder = await eventually('a leader', async () => (await lease()) || undefined);
      const leader = pods.find((pod) => holder.startsWith(pod.metadata.name));
      const standby = pods.find((pod) => pod !== leader);
      expect(leader, `lease holder ${holder} is one of the pods`).toBeDefined();
      // The standby has written nothing while the leader worked.
      expect(await metric(standby!.status.podIP!, 'agent_registry_leader')).toBe(0);
      expect(await metric(standby!.status.podIP!, 'agent_registry_controller_writes_total')).toBe(0);

      const deleted = performance.now();
      await kubectl('delete', 'pod', leader!.metadata.name, '-n', SYSTEM, '--wait=false');
      let bothLeading = 0;
      const newHolder = await eventually(
        'a new lease holder',
        async () => {
          const leading = await Promise.all(
            (await controllerPods())
              .filter((pod) => pod.status.podIP)
              .map((pod) => metric(pod.status.podIP!, 'agent_registry_leader').catch(() => 0)),
          );
          if (leading.filter((value) => value === 1).length > 1) bothLeading += 1;
          const current = await lease();
          return current && current !== holder ? current : undefined;
        },
        LEASE_DURATION_S * 1000 + 10_000,
      );
      const handover = (performance.now() - deleted) / 1000;
      console.log(
        `e2e: leader ${holder} -> ${newHolder} in ${handover.toFixed(1)} s (lease ${LEASE_DURATION_S} s)`,
      );
      // The lease goes to a live pod: the standby, or the Deployment's replacement when it asks first
      // (the deleted leader released the lease on its way out) — never back to the deleted one.
      expect(newHolder.startsWith(leader!.metadata.name)).toBe(false);
      expect(handover).toBeLessThanOrEqual(LEASE_DURATION_S + 2);
      expect(bothLeading).toBe(0);
      // The new leader reconciles: the cards stay Healthy, probed by it.
      const newLeader = await eventually('the new leader pod', async () =>
        (await controllerPods()).find((pod) => newHolder.startsWith(pod.metadata.name) && pod.status.podIP),
      );
      await eventually('the new leader probes', async () =>
        (await metric(newLeader.status.podIP!, 'agent_registry_probe_total')) > 0 ? true : undefined,
      );
      expect(await cardHealth('echo-kagent')).toBe('Healthy');
      // The Deployment replaces the deleted pod; one of the two stands by.
      await eventually('two controller pods again', async () =>
        (await controllerPods()).length === 2 ? true : undefined,
      );
    },
    180_000,
  );

  scenario(
    'deleting an agent deletes its card through the garbage collector (controller stopped)',
    async () => {
      await kubectl('scale', 'deployment', 'agent-registry-controller', '-n', SYSTEM, '--replicas=0');
      await eventually('no controller pods', async () =>
        (await controllerPods()).length === 0 ? true : undefined,
      );
      const card = await json<{ metadata: { ownerReferences?: { kind: string; name: string }[] } }>(
        'get',
        'agentcards.kagent.dev',
        'echo-kagent',
        '-n',
        AGENTS,
      );
      expect(card.metadata.ownerReferences?.map((owner) => `${owner.kind}/${owner.name}`)).toContain(
        'Agent/echo-kagent',
      );
      await kubectl('delete', 'agents.kagent.dev', 'echo-kagent', '-n', AGENTS);
      // Nothing of ours runs: only kube-controller-manager's garbage collector can delete the card.
      await eventually('card echo-kagent deleted', async () =>
        (await kubectl('get', 'agentcards.kagent.dev', '-n', AGENTS, '-o', 'name')).includes('echo-kagent')
          ? undefined
          : true,
      );
      await kubectl('scale', 'deployment', 'agent-registry-controller', '-n', SYSTEM, '--replicas=2');
      await kubectl(
        'rollout',
        'status',
        'deployment/agent-registry-controller',
        '-n',
        SYSTEM,
        '--timeout=120s',
      );
    },
    240_000,
  );

  scenario(
    'helm upgrade to changed values rolls out and takes effect',
    async () => {
      await kubectl('apply', '--server-side', '-f', join(repositoryRoot, 'charts', 'agent-registry', 'crds'));
      await cluster.helm([
        'upgrade',
        RELEASE,
        join(repositoryRoot, 'charts', 'agent-registry'),
        '--namespace',
        SYSTEM,
        '--wait',
        '--timeout',
        '5m',
        ...helmImageValues(),
        '--set',
        'registry.cacheMaxAge=17',
      ]);
      await kubectl(
        'rollout',
        'status',
        'deployment/agent-registry-registry',
        '-n',
        SYSTEM,
        '--timeout=180s',
      );
      const response = await eventually('the upgraded registry answers', async () => {
        const answer = await fetch(`${registryUrl}/agents/${AGENTS}/echo-a2a/.well-known/agent-card.json`);
        return answer.headers.get('cache-control')?.includes('max-age=17') ? answer : undefined;
      });
      expect(response.status).toBe(200);
    },
    420_000,
  );

  scenario(
    'helm uninstall keeps the cards; deleting the CRDs removes every card',
    async () => {
      await cluster.helm(['uninstall', RELEASE, '--namespace', SYSTEM, '--timeout', '3m']);
      await eventually("the release's pods gone", async () =>
        (await kubectl('get', 'pods', '-n', SYSTEM, '-o', 'name')).trim() === '' ? true : undefined,
      );
      expect(
        (await kubectl('get', 'deployments,services,serviceaccounts', '-n', SYSTEM, '-o', 'name')).trim(),
      ).toBe('serviceaccount/default');
      expect(await kubectl('get', 'validatingadmissionpolicies', '-o', 'name')).not.toContain(
        'agent-registry',
      );
      // Uninstalling keeps the CRDs, so the cards stay.
      expect(await kubectl('get', 'agentcards.kagent.dev', '-n', AGENTS, '-o', 'name')).toContain('echo-a2a');
      await kubectl('delete', 'crd', 'agentcards.kagent.dev', 'agents.a2a.io', '--timeout=120s');
      expect(await kubectl('api-resources', '--api-group=kagent.dev', '-o', 'name')).not.toContain(
        'agentcards',
      );
      // The cards went with their CRD: installing it again brings none back.
      await kubectl('apply', '--server-side', '-f', join(repositoryRoot, 'charts', 'agent-registry', 'crds'));
      await eventually('AgentCards served again', async () =>
        (await kubectl('api-resources', '--api-group=kagent.dev', '-o', 'name')).includes('agentcards')
          ? true
          : undefined,
      );
      expect((await kubectl('get', 'agentcards.kagent.dev', '-A', '-o', 'name')).trim()).toBe('');
    },
    300_000,
  );
});
