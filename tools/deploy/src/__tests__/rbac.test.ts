import { integration } from '@agent-registry/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderChart, type RenderedObject } from '../chart.js';
import { kubectlWithObjects, serviceAccountCan, uniqueSuffix, type AccessQuery } from '../cluster.js';

const RBAC_KINDS = new Set(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
const rulesOf = (object: RenderedObject | undefined): Rule[] =>
  (object as unknown as { rules: Rule[] }).rules;

describe('RBAC rules', () => {
  it('grant exactly the least-privilege rules of the design', async () => {
    const objects = await renderChart();
    const controller = objects.find(
      (o) => o.kind === 'ClusterRole' && o.metadata.name === 'agent-registry-controller',
    );
    expect(rulesOf(controller)).toEqual([
      { apiGroups: ['kagent.dev'], resources: ['agents'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['a2a.io'], resources: ['agents'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['kagent.dev', 'a2a.io'], resources: ['agents/finalizers'], verbs: ['update'] },
      {
        apiGroups: ['kagent.dev'],
        resources: ['agentcards'],
        verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'],
      },
      { apiGroups: ['kagent.dev'], resources: ['agentcards/status'], verbs: ['get', 'patch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
      { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create'] },
    ]);
    const registry = objects.find(
      (o) => o.kind === 'ClusterRole' && o.metadata.name === 'agent-registry-registry',
    );
    expect(rulesOf(registry)).toEqual([
      { apiGroups: ['kagent.dev'], resources: ['agentcards'], verbs: ['get', 'list', 'watch'] },
    ]);
    const lease = objects.find(
      (o) => o.kind === 'Role' && o.metadata.name === 'agent-registry-controller-leader-election',
    );
    expect(lease?.metadata.namespace).toBe('agent-registry');
    expect(rulesOf(lease)).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        resourceNames: ['agent-registry-controller'],
        verbs: ['get', 'update', 'patch'],
      },
    ]);
    // No wildcard anywhere.
    for (const object of objects.filter((o) => RBAC_KINDS.has(o.kind) && o.kind.endsWith('Role'))) {
      expect(JSON.stringify(rulesOf(object))).not.toContain('*');
    }
  });

  it('uses Roles per watched namespace instead of ClusterRoles when watchNamespaces is set', async () => {
    const objects = await renderChart({ values: { watchNamespaces: ['team-a', 'team-b'] } });
    expect(objects.filter((o) => o.kind.startsWith('Cluster')).map((o) => o.metadata.name)).toEqual([]);
    const roles = objects
      .filter((o) => o.kind === 'Role')
      .map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(roles.sort()).toEqual([
      'agent-registry/agent-registry-controller-leader-election',
      'team-a/agent-registry-controller',
      'team-a/agent-registry-registry',
      'team-b/agent-registry-controller',
      'team-b/agent-registry-registry',
    ]);
  });
});

integration.describe('RBAC on the real apiserver (SubjectAccessReview)', (cp) => {
  const suffix = uniqueSuffix();
  const fullname = `rbac-${suffix}`;
  let release = '';
  let watched: string[] = [];
  let other = '';

  const controllerCan = (query: AccessQuery) =>
    serviceAccountCan(cp.kubeConfig, { namespace: release, name: `${fullname}-controller` }, query);
  const registryCan = (query: AccessQuery) =>
    serviceAccountCan(cp.kubeConfig, { namespace: release, name: `${fullname}-registry` }, query);

  beforeAll(async () => {
    release = (await cp.createNamespace('rbac-release')).name;
    watched = [
      (await cp.createNamespace('rbac-team-a')).name,
      (await cp.createNamespace('rbac-team-b')).name,
    ];
    other = (await cp.createNamespace('rbac-other')).name;
    const objects = await renderChart({
      namespace: release,
      values: {
        fullnameOverride: fullname,
        watchNamespaces: watched,
        registry: { auth: { mode: 'kubernetes' } },
      },
    });
    const rbac = objects.filter((o) => RBAC_KINDS.has(o.kind));
    expect(rbac.length).toBeGreaterThanOrEqual(8);
    const output = await kubectlWithObjects(
      cp,
      ['apply', '--server-side', '--field-manager', 'deploy-tests'],
      rbac,
    );
    expect(output).toContain('serverside-applied');
  });

  it('controller: reads Agents, writes AgentCards and status, emits Events — only in watched namespaces', async () => {
    for (const namespace of watched) {
      expect(await controllerCan({ verb: 'watch', group: 'kagent.dev', resource: 'agents', namespace })).toBe(
        true,
      );
      expect(await controllerCan({ verb: 'list', group: 'a2a.io', resource: 'agents', namespace })).toBe(
        true,
      );
      expect(
        await controllerCan({ verb: 'create', group: 'kagent.dev', resource: 'agentcards', namespace }),
      ).toBe(true);
      expect(
        await controllerCan({ verb: 'delete', group: 'kagent.dev', resource: 'agentcards', namespace }),
      ).toBe(true);
      expect(
        await controllerCan({
          verb: 'patch',
          group: 'kagent.dev',
          resource: 'agentcards',
          subresource: 'status',
          namespace,
        }),
      ).toBe(true);
      expect(
        await controllerCan({ verb: 'create', group: 'events.k8s.io', resource: 'events', namespace }),
      ).toBe(true);
      expect(
        await controllerCan({
          verb: 'list',
          group: 'discovery.k8s.io',
          resource: 'endpointslices',
          namespace,
        }),
      ).toBe(true);
    }
    expect(
      await controllerCan({ verb: 'list', group: 'kagent.dev', resource: 'agents', namespace: other }),
    ).toBe(false);
    expect(
      await controllerCan({ verb: 'create', group: 'kagent.dev', resource: 'agentcards', namespace: other }),
    ).toBe(false);
  });

  it('controller: nothing beyond that', async () => {
    const namespace = watched[0];
    expect(await controllerCan({ verb: 'update', group: 'kagent.dev', resource: 'agents', namespace })).toBe(
      false,
    );
    expect(await controllerCan({ verb: 'update', group: 'a2a.io', resource: 'agents', namespace })).toBe(
      false,
    );
    expect(await controllerCan({ verb: 'create', resource: 'events', namespace })).toBe(false);
    expect(await controllerCan({ verb: 'delete', resource: 'events', namespace })).toBe(false);
    expect(
      await controllerCan({ verb: 'update', group: 'kagent.dev', resource: 'agentcards', namespace }),
    ).toBe(false);
    expect(await controllerCan({ verb: 'get', resource: 'secrets', namespace })).toBe(false);
    expect(await controllerCan({ verb: 'list', resource: 'pods', namespace })).toBe(false);
    expect(
      await controllerCan({ verb: 'create', group: 'authentication.k8s.io', resource: 'tokenreviews' }),
    ).toBe(false);
  });

  it('controller: creates Leases, but updates only its own Lease, in the release namespace', async () => {
    const lease = { group: 'coordination.k8s.io', resource: 'leases' };
    expect(await controllerCan({ verb: 'create', ...lease, namespace: release })).toBe(true);
    for (const verb of ['get', 'update', 'patch']) {
      expect(
        await controllerCan({ verb, ...lease, namespace: release, name: `${fullname}-controller` }),
      ).toBe(true);
      expect(await controllerCan({ verb, ...lease, namespace: release, name: 'someone-elses-lease' })).toBe(
        false,
      );
    }
    expect(
      await controllerCan({ verb: 'delete', ...lease, namespace: release, name: `${fullname}-controller` }),
    ).toBe(false);
    expect(await controllerCan({ verb: 'create', ...lease, namespace: watched[0] })).toBe(false);
  });

  it('registry: reads AgentCards in watched namespaces and reviews tokens (auth.mode=kubernetes)', async () => {
    const cards = { group: 'kagent.dev', resource: 'agentcards' };
    for (const namespace of watched) {
      for (const verb of ['get', 'list', 'watch'])
        expect(await registryCan({ verb, ...cards, namespace })).toBe(true);
      expect(await registryCan({ verb: 'create', ...cards, namespace })).toBe(false);
      expect(await registryCan({ verb: 'update', ...cards, subresource: 'status', namespace })).toBe(false);
    }
    expect(await registryCan({ verb: 'list', ...cards, namespace: other })).toBe(false);
    expect(
      await registryCan({ verb: 'create', group: 'authentication.k8s.io', resource: 'tokenreviews' }),
    ).toBe(true);
    expect(
      await registryCan({ verb: 'create', group: 'authorization.k8s.io', resource: 'subjectaccessreviews' }),
    ).toBe(true);
    expect(
      await registryCan({ verb: 'list', group: 'kagent.dev', resource: 'agents', namespace: watched[0] }),
    ).toBe(false);
  });
});
