import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { A2A_VERSIONS } from '@agent-registry/crds';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { helm } from '../../lib/helm.mjs';
import { chartDir } from '../../lib/paths.mjs';
import {
  envOf,
  findObject,
  objectsOfKind,
  podSpecOf,
  renderChart,
  renderChartYaml,
  type RenderedObject,
} from '../chart.js';

const ciValuesFiles = readdirSync(join(chartDir, 'ci'))
  .filter((name) => name.endsWith('.yaml'))
  .map((name) => join(chartDir, 'ci', name));
const chart = parse(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as {
  appVersion: string;
  apiVersion: string;
};

describe('helm lint / template', () => {
  it('uses a helm that runs', async () => {
    expect(await helm(['version', '--short'])).toMatch(/^v3\.\d+\.\d+/);
  });

  it('is a Helm v2-API chart with the all-options values file', () => {
    expect(chart.apiVersion).toBe('v2');
    expect(ciValuesFiles.map((file) => file.split('/').at(-1))).toContain('all-options-values.yaml');
  });

  it.each([['default values', undefined], ...ciValuesFiles.map((file) => [file.split('/').at(-1), file])])(
    'lints cleanly with %s',
    async (_name, file) => {
      const output = await helm(['lint', '--strict', chartDir, ...(file ? ['-f', file] : [])]);
      expect(output).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
      expect(output).not.toMatch(/\[(WARNING|ERROR)\]/);
    },
  );

  it('renders only valid YAML objects with kind and name', async () => {
    for (const file of [undefined, ...ciValuesFiles]) {
      const objects = await renderChart({ valuesFiles: file ? [file] : [] });
      expect(objects.length).toBeGreaterThanOrEqual(8);
      for (const object of objects) {
        expect(object.apiVersion, JSON.stringify(object).slice(0, 200)).toBeTruthy();
        expect(object.metadata?.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
      }
    }
  });
});

describe('values.schema.json', () => {
  async function renderError(values: Record<string, unknown>): Promise<string> {
    const error = await renderChartYaml({ values }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error, 'helm template should have failed').toBeInstanceOf(Error);
    return (error as Error).message;
  }

  it('rejects a string replica count and an unknown auth mode, naming both fields', async () => {
    const message = await renderError({
      controller: { replicas: 'two' },
      registry: { auth: { mode: 'magic' } },
    });
    expect(message).toContain("values don't meet the specifications of the schema");
    expect(message).toMatch(/controller\.replicas: Invalid type\. Expected: integer, given: string/);
    expect(message).toMatch(/registry\.auth\.mode.*one of the following: "none", "token", "kubernetes"/);
  });

  it.each([
    [{ controller: { replicas: 0 } }, /controller\.replicas: Must be greater than or equal to 1/],
    [{ registry: { logLevel: 'loud' } }, /registry\.logLevel.*one of the following/],
    [
      { controller: { image: { repository: '' } } },
      /controller\.image\.repository: String length must be greater than or equal to 1/,
    ],
    [
      { controller: { a2aVersion: '2.0' } },
      /controller\.a2aVersion.*one of the following: "0\.3\.0", "1\.0"/,
    ],
    [{ controler: { replicas: 1 } }, /Additional property controler is not allowed/],
    [{ controller: { probe: { interval: 'often' } } }, /controller\.probe\.interval: Does not match pattern/],
    [{ otel: { endpoint: 'collector:4318' } }, /otel\.endpoint: Does not match pattern/],
    [
      { admissionPolicy: { validationActions: ['Block'] } },
      /admissionPolicy\.validationActions\.0.*one of the following/,
    ],
    [{ watchNamespaces: ['Team_A'] }, /watchNamespaces\.0: Does not match pattern/],
  ])('rejects %j', async (values, expected) => {
    expect(await renderError(values)).toMatch(expected);
  });

  it('lists the supported A2A versions of @agent-registry/crds', () => {
    const schema = JSON.parse(readFileSync(join(chartDir, 'values.schema.json'), 'utf8')) as {
      properties: { controller: { properties: { a2aVersion: { enum: string[] } } } };
    };
    expect(schema.properties.controller.properties.a2aVersion.enum).toEqual([...A2A_VERSIONS]);
  });

  it('fails with a clear message on inconsistent combinations', async () => {
    expect(await renderError({ controller: { leaderElection: { enabled: false } } })).toContain(
      'controller.replicas > 1 requires controller.leaderElection.enabled=true',
    );
    expect(await renderError({ registry: { auth: { mode: 'token' } } })).toContain(
      'registry.auth.mode=token requires registry.auth.tokensSecret.name',
    );
  });
});

describe('rendered with default values', async () => {
  const objects = await renderChart({ namespace: 'agents' });
  const controller = findObject(objects, 'Deployment', 'agent-registry-controller');
  const registry = findObject(objects, 'Deployment', 'agent-registry-registry');
  const [controllerContainer] = podSpecOf(controller).containers;
  const [registryContainer] = podSpecOf(registry).containers;
  if (!controllerContainer || !registryContainer) throw new Error('Deployments without containers');

  it('runs both images at the chart appVersion', () => {
    expect(controllerContainer.image).toBe(`ghcr.io/agent-registry/controller:${chart.appVersion}`);
    expect(registryContainer.image).toBe(`ghcr.io/agent-registry/registry:${chart.appVersion}`);
  });

  it.each([
    ['controller', () => controller],
    ['registry', () => registry],
  ])('%s runs with the restricted security context at pod and container level', (_name, deployment) => {
    const pod = podSpecOf(deployment());
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    for (const container of pod.containers) {
      expect(container.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 65532,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container.resources).toHaveProperty('requests');
      expect(container.resources).toHaveProperty('limits');
    }
  });

  it('probes /healthz and /readyz on the HTTP ports of the contract', () => {
    expect(controllerContainer.ports).toEqual([expect.objectContaining({ containerPort: 8081 })]);
    expect(registryContainer.ports).toEqual([expect.objectContaining({ containerPort: 8084 })]);
    for (const container of [controllerContainer, registryContainer]) {
      expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
      expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
      expect(container.ports?.map((p) => p.name)).toContain(container.livenessProbe?.httpGet?.port);
    }
    const service = findObject(objects, 'Service', 'agent-registry-registry') as unknown as {
      spec: { ports: { port: number; targetPort: string }[] };
    };
    expect(service.spec.ports).toEqual([expect.objectContaining({ port: 8084, targetPort: 'http' })]);
  });

  it('configures the controller through the env vars of the contract, with leader election on 2 replicas', () => {
    expect((controller as unknown as { spec: { replicas: number } }).spec.replicas).toBe(2);
    const env = envOf(controllerContainer);
    expect(env).toMatchObject({
      WATCH_NAMESPACES: '',
      HTTP_PORT: '8081',
      LEADER_ELECT: 'true',
      LEASE_NAME: 'agent-registry-controller',
      LOG_LEVEL: 'info',
      CLUSTER_DOMAIN: 'cluster.local',
      DEFAULT_PORT: '8080',
      A2A_VERSION: '0.3.0',
      PROBE_INTERVAL: '30s',
    });
    for (const name of ['POD_NAMESPACE', 'LEASE_NAMESPACE']) {
      expect(JSON.parse(env[name]!)).toEqual({ fieldRef: { fieldPath: 'metadata.namespace' } });
    }
    expect(Object.keys(env).filter((name) => name.startsWith('OTEL_'))).toEqual([]);
  });

  it('runs the registry on the kubernetes store, all interfaces, no auth', () => {
    expect(envOf(registryContainer)).toMatchObject({
      STORE: 'kubernetes',
      HOST: '0.0.0.0',
      PORT: '8084',
      AUTH_MODE: 'none',
      RATE_LIMIT: '50',
    });
  });

  it('renders a PodDisruptionBudget per component and no optional objects', () => {
    expect(objectsOfKind(objects, 'PodDisruptionBudget').map((o) => o.metadata.name)).toEqual([
      'agent-registry-controller',
      'agent-registry-registry',
    ]);
    for (const kind of ['Ingress', 'NetworkPolicy', 'ServiceMonitor', 'Role']) {
      expect(objectsOfKind(objects, kind).map((o) => o.metadata.name)).toEqual(
        kind === 'Role' ? ['agent-registry-controller-leader-election'] : [],
      );
    }
  });

  it('enables the admission policy by default, denying', () => {
    findObject(objects, 'ValidatingAdmissionPolicy', 'agent-registry-agentcards');
    const binding = findObject(objects, 'ValidatingAdmissionPolicyBinding', 'agent-registry-agentcards');
    expect(binding).toMatchObject({
      spec: { policyName: 'agent-registry-agentcards', validationActions: ['Deny'] },
    });
  });

  it('policy checks the A2A versions of @agent-registry/crds', () => {
    const policy = findObject(
      objects,
      'ValidatingAdmissionPolicy',
      'agent-registry-agentcards',
    ) as unknown as {
      spec: { variables: { name: string; expression: string }[] };
    };
    const versions = policy.spec.variables.find((v) => v.name === 'supportedA2AVersions')?.expression;
    expect(versions).toBe(`[${A2A_VERSIONS.map((v) => `'${v}'`).join(', ')}]`);
  });
});

describe('options', () => {
  it('without replicas > 1 there is no PodDisruptionBudget (it would block node drains)', async () => {
    const objects = await renderChart({
      values: { controller: { replicas: 1 }, registry: { replicas: 1 } },
    });
    expect(objectsOfKind(objects, 'PodDisruptionBudget')).toEqual([]);
  });

  it('passes OpenTelemetry settings as env when an endpoint is set', async () => {
    const objects = await renderChart({
      values: {
        otel: { endpoint: 'http://collector:4318', resourceAttributes: { 'deployment.environment': 'dev' } },
      },
    });
    const services: Record<string, string> = {};
    for (const deployment of objectsOfKind(objects, 'Deployment')) {
      const env = envOf(podSpecOf(deployment).containers[0]!);
      expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://collector:4318');
      expect(env.OTEL_RESOURCE_ATTRIBUTES).toBe(
        `k8s.namespace.name=$(POD_NAMESPACE),k8s.pod.name=$(POD_NAME),service.version=${chart.appVersion},deployment.environment=dev`,
      );
      // $(POD_NAME) is only expanded when POD_NAME is defined earlier in the list.
      const names = (podSpecOf(deployment).containers[0]!.env ?? []).map((e) => e.name);
      expect(names.indexOf('POD_NAME')).toBeLessThan(names.indexOf('OTEL_RESOURCE_ATTRIBUTES'));
      services[deployment.metadata.name] = env.OTEL_SERVICE_NAME as string;
    }
    expect(services).toEqual({
      'agent-registry-controller': 'agent-registry-controller',
      'agent-registry-registry': 'agent-registry',
    });
  });

  it('mounts the tokens Secret for auth.mode=token', async () => {
    const objects = await renderChart({
      values: { registry: { auth: { mode: 'token', tokensSecret: { name: 'tokens', key: 'tokens.yaml' } } } },
    });
    const pod = podSpecOf(findObject(objects, 'Deployment', 'agent-registry-registry')) as unknown as {
      containers: {
        env: { name: string; value?: string }[];
        volumeMounts: { name: string; mountPath: string }[];
      }[];
      volumes: { name: string; secret?: { secretName: string } }[];
    };
    const container = pod.containers[0]!;
    expect(container.env.find((e) => e.name === 'TOKENS_FILE')?.value).toBe(
      '/etc/agent-registry/tokens/tokens.yaml',
    );
    expect(container.volumeMounts).toContainEqual(
      expect.objectContaining({ name: 'tokens', mountPath: '/etc/agent-registry/tokens' }),
    );
    expect(pod.volumes).toContainEqual(
      expect.objectContaining({ name: 'tokens', secret: expect.objectContaining({ secretName: 'tokens' }) }),
    );
  });

  it('all-options renders every optional object', async () => {
    const objects = await renderChart({
      valuesFiles: ciValuesFiles.filter((f) => f.endsWith('all-options-values.yaml')),
    });
    const kinds = new Set(objects.map((o: RenderedObject) => o.kind));
    for (const kind of [
      'Ingress',
      'NetworkPolicy',
      'ServiceMonitor',
      'PodDisruptionBudget',
      'Role',
      'RoleBinding',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    const deployment = findObject(objects, 'Deployment', 'ar-all-controller');
    expect(podSpecOf(deployment).containers[0]?.image).toBe(
      'registry.example.com/agent-registry/controller@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    );
  });
});
