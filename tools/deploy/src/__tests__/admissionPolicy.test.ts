import {
  ApiextensionsV1Api,
  KubernetesObjectApi,
  type KubernetesObject,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { integration } from '@agent-registry/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renderChart } from '../chart.js';
import { kubectlWithObjects, uniqueSuffix } from '../cluster.js';

const CRD = 'agentcards.kagent.dev';

interface Rejection {
  code: number;
  message: string;
}

function card(
  name: string,
  namespace: string,
  spec: Record<string, unknown>,
): KubernetesObject & { spec: unknown } {
  return { apiVersion: 'kagent.dev/v1alpha1', kind: 'AgentCard', metadata: { name, namespace }, spec };
}

function rejectionOf(error: unknown): Rejection {
  const { code, body } = error as { code?: number; body?: unknown };
  const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: string } | undefined;
  return { code: code ?? 0, message: parsed?.message ?? String(error) };
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The policy is defense in depth: the CRD schema already requires an http(s) prefix and a known a2aVersion. To
 * prove that the POLICY rejects, the suite uses cards the schema admits (an endpoint without a host), and a
 * variant of the CRD without the enum/pattern constraints (as an older or hand-edited CRD would be) — each first
 * shown to be admitted without the policy, then rejected with it.
 */
integration.describe('ValidatingAdmissionPolicy for AgentCards on the real apiserver', (cp) => {
  const objects = KubernetesObjectApi.makeApiClient(cp.kubeConfig);
  const extensions = cp.kubeConfig.makeApiClient(ApiextensionsV1Api);
  const policyName = `policy-${uniqueSuffix()}`;
  let namespace = '';
  let originalCrd: V1CustomResourceDefinition | undefined;

  /** Dry-run create: undefined when admitted, else the rejection. */
  async function tryCreate(spec: Record<string, unknown>): Promise<Rejection | undefined> {
    try {
      await objects.create(card(`probe-${uniqueSuffix()}`, namespace, spec), undefined, 'All');
      return undefined;
    } catch (error) {
      return rejectionOf(error);
    }
  }

  /** Polls until `check` holds (policy and CRD changes reach the admission chain asynchronously). */
  async function eventually<T>(
    what: string,
    attempt: () => Promise<T>,
    check: (value: T) => boolean,
  ): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await attempt();
      if (check(value)) return value;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
      await sleep(200);
    }
  }

  async function replaceCrdSchema(edit: (crd: V1CustomResourceDefinition) => void): Promise<void> {
    const crd = await extensions.readCustomResourceDefinition({ name: CRD });
    edit(crd);
    await extensions.replaceCustomResourceDefinition({ name: CRD, body: crd });
  }

  beforeAll(async () => {
    namespace = (await cp.createNamespace('policy')).name;
    originalCrd = await extensions.readCustomResourceDefinition({ name: CRD });
  });

  afterAll(async () => {
    if (originalCrd) {
      await replaceCrdSchema((crd) => {
        crd.spec = originalCrd!.spec;
      });
    }
    await cp.kubectl([
      'delete',
      'validatingadmissionpolicybinding,validatingadmissionpolicy',
      policyName,
      '--ignore-not-found',
    ]);
  });

  const hostless = { endpoints: ['http://'], a2aVersion: '0.3.0' };
  const ftp = {
    endpoints: ['https://ok.example.com/a2a', 'ftp://files.example.com/agent'],
    a2aVersion: '0.3.0',
  };
  const futureVersion = { endpoints: ['https://ok.example.com/a2a'], a2aVersion: '2.0' };
  const good = {
    endpoints: ['https://weather.example.com/a2a', 'http://weather.team-a.svc:8080/'],
    a2aVersion: '1.0',
  };

  it('without the policy, the schema admits a host-less endpoint, and a loosened CRD admits ftp:// and 2.0', async () => {
    expect(await tryCreate(hostless)).toBeUndefined();
    await replaceCrdSchema((crd) => {
      const spec = crd.spec.versions[0]!.schema!.openAPIV3Schema!.properties!.spec!.properties!;
      // client-node's model names the `enum` keyword `_enum`.
      delete (spec.a2aVersion as { _enum?: unknown })._enum;
      delete spec.endpoints!.items!.pattern;
    });
    await eventually(
      'the loosened CRD schema',
      () => tryCreate(ftp),
      (r) => r === undefined,
    );
    expect(await tryCreate(futureVersion)).toBeUndefined();
  });

  it('the chart policy rejects them with path-precise messages', async () => {
    const rendered = await renderChart({
      values: { fullnameOverride: policyName.replace(/-agentcards$/, '') },
    });
    const policy = rendered.filter((o) => o.kind.startsWith('ValidatingAdmissionPolicy'));
    expect(policy.map((o) => o.kind)).toEqual([
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
    ]);
    for (const object of policy) object.metadata.name = policyName;
    (policy[1] as unknown as { spec: { policyName: string } }).spec.policyName = policyName;
    const applied = await kubectlWithObjects(
      cp,
      ['apply', '--server-side', '--field-manager', 'deploy-tests'],
      policy,
    );
    expect(applied).toContain(
      `validatingadmissionpolicy.admissionregistration.k8s.io/${policyName} serverside-applied`,
    );

    const denied = `ValidatingAdmissionPolicy '${policyName}' with binding '${policyName}' denied request`;
    const ftpRejection = await eventually(
      'the policy to be active',
      () => tryCreate(ftp),
      (r) => r !== undefined,
    );
    expect(ftpRejection?.code).toBe(422);
    expect(ftpRejection?.message).toContain(denied);
    expect(ftpRejection?.message).toContain(
      'spec.endpoints: every endpoint must be an http:// or https:// URL; rejected: ftp://files.example.com/agent',
    );
    expect((await tryCreate(futureVersion))?.message).toContain(
      `${denied}: spec.a2aVersion: unsupported A2A version "2.0"; supported: 0.3.0, 1.0`,
    );
    expect((await tryCreate(hostless))?.message).toContain(
      `${denied}: spec.endpoints: every endpoint must be a valid URL with a host; rejected: http://`,
    );
  });

  it('with the real CRD back, the policy still rejects host-less endpoints, on create and update', async () => {
    await replaceCrdSchema((crd) => {
      crd.spec = originalCrd!.spec;
    });
    // The schema's enum is back once 2.0 is rejected by the schema (before admission) again.
    await eventually(
      'the original CRD schema',
      () => tryCreate(futureVersion),
      (r) => r?.message.includes('Unsupported value') === true,
    );
    expect((await tryCreate({ endpoints: ['https://:8443/a2a'] }))?.message).toContain(
      'every endpoint must be a valid URL with a host; rejected: https://:8443/a2a',
    );

    const created = await objects.create(card('weather', namespace, good));
    expect(created.metadata?.uid).toBeTruthy();
    const update = { ...created, spec: { ...good, endpoints: ['http://'] } } as KubernetesObject;
    const rejection = await objects.replace(update).then(
      () => undefined,
      (error: unknown) => rejectionOf(error),
    );
    expect(rejection?.message).toContain('every endpoint must be a valid URL with a host; rejected: http://');
  });

  it('admits a good card and one without endpoints', async () => {
    expect(await tryCreate(good)).toBeUndefined();
    expect(await tryCreate({ a2aVersion: '0.3.0' })).toBeUndefined();
    expect(await tryCreate({ endpoints: [] })).toBeUndefined();
  });
});
