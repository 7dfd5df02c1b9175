import {
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { integration, TEST_FIELD_MANAGER } from '../index.js';
import { GROUP, PLURAL, statusOf, validAgentCard, VERSION, type AgentCardObject } from './fixtures.js';

integration.describe('AgentCard on a real kube-apiserver', (cp) => {
  const objects = KubernetesObjectApi.makeApiClient(cp.kubeConfig);
  const custom = cp.kubeConfig.makeApiClient(CustomObjectsApi);

  it('stores a valid AgentCard and reads it back unchanged', async () => {
    const ns = await cp.createNamespace('valid');
    const card = validAgentCard('weather', ns.name);
    await objects.create(card);
    const read = (await custom.getNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: ns.name,
      plural: PLURAL,
      name: 'weather',
    })) as AgentCardObject;
    expect(read.spec).toEqual(card.spec);
    expect(read.metadata?.labels).toEqual(card.metadata?.labels);
    expect(read.metadata?.generation).toBe(1);
  });

  describe('rejects invalid AgentCards with the apiserver field errors', () => {
    it.each([
      [
        'spec.endpoints',
        { endpoints: 'x' },
        /spec\.endpoints: Invalid value: "string": spec\.endpoints in body must be of type array/,
      ],
      ['spec.endpoints[0]', { endpoints: ['ftp://x'] }, /spec\.endpoints\[0\]/],
      ['spec.a2aVersion', { a2aVersion: '9.9' }, /spec\.a2aVersion: Unsupported value: "9\.9"/],
      ['spec.skills[0].id', { skills: [{ name: 'no id' }] }, /spec\.skills\[0\]\.id: Required value/],
      ['spec.metadata', { metadata: { count: 3 } }, /spec\.metadata\.count: Invalid value: "integer"/],
    ])('%s', async (_field, specPatch, message) => {
      const ns = await cp.createNamespace('invalid');
      const card = validAgentCard('bad', ns.name);
      const error = await objects
        .create({ ...card, spec: { ...card.spec, ...specPatch } })
        .catch((e: unknown) => e);
      expect(statusOf(error)).toMatchObject({ code: 422, reason: 'Invalid' });
      expect(statusOf(error).message).toMatch(message);
    });

    it('status.health outside the enum', async () => {
      const ns = await cp.createNamespace('invalid-status');
      const created = (await objects.create(validAgentCard('weather', ns.name))) as AgentCardObject;
      const error = await custom
        .replaceNamespacedCustomObjectStatus({
          group: GROUP,
          version: VERSION,
          namespace: ns.name,
          plural: PLURAL,
          name: 'weather',
          body: { ...created, status: { health: 'Sick' } },
        })
        .catch((e: unknown) => e);
      expect(statusOf(error)).toMatchObject({ code: 422, reason: 'Invalid' });
      expect(statusOf(error).message).toMatch(/status\.health: Unsupported value: "Sick"/);
    });
  });

  it('server-side apply creates and updates with a field manager; conflicts are detected', async () => {
    const ns = await cp.createNamespace('ssa');
    const card = validAgentCard('weather', ns.name);
    const apply = (object: AgentCardObject, manager: string, force: boolean): Promise<AgentCardObject> =>
      objects.patch(object, undefined, undefined, manager, force, PatchStrategy.ServerSideApply);

    const created = await apply(card, 'card-generator', false);
    expect(created.metadata?.generation).toBe(1);
    expect(created.metadata?.managedFields?.map((f) => [f.manager, f.operation])).toEqual([
      ['card-generator', 'Apply'],
    ]);

    const updated = await apply(
      { ...card, spec: { ...card.spec, capabilities: ['streaming'] } },
      'card-generator',
      false,
    );
    expect(updated.spec.capabilities).toEqual(['streaming']);
    expect(updated.metadata?.generation).toBe(2);

    // Another manager changing an owned field without force is a conflict...
    const conflict = await apply(
      { ...card, spec: { ...card.spec, contentHash: 'other' } },
      'someone-else',
      false,
    ).catch((e: unknown) => e);
    expect(statusOf(conflict)).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(statusOf(conflict).message).toContain('.spec.contentHash');
    // ...and with force it takes the field over.
    const forced = await apply(
      { ...card, spec: { ...card.spec, contentHash: 'other' } },
      TEST_FIELD_MANAGER,
      true,
    );
    expect(forced.spec.contentHash).toBe('other');
  });

  it('a status update through the status subresource leaves the spec alone', async () => {
    const ns = await cp.createNamespace('status');
    const created = (await objects.create(validAgentCard('weather', ns.name))) as AgentCardObject;
    const status = {
      health: 'Healthy',
      lastSeen: '2026-01-02T03:04:05Z',
      observedGeneration: 1,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          lastTransitionTime: '2026-01-02T03:04:05Z',
          reason: 'Probed',
          message: 'card fetched',
        },
      ],
    };
    const patched = (await custom.patchNamespacedCustomObjectStatus(
      {
        group: GROUP,
        version: VERSION,
        namespace: ns.name,
        plural: PLURAL,
        name: 'weather',
        // The spec part of this patch must be ignored by the status subresource.
        body: { spec: { contentHash: 'changed-through-status' }, status },
        fieldManager: 'health-prober',
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    )) as AgentCardObject;
    expect(patched.status).toEqual(status);
    expect(patched.spec).toEqual(created.spec);
    expect(patched.metadata?.generation).toBe(1);

    // ...and a spec update does not touch the status.
    const card = validAgentCard('weather', ns.name);
    const respecced = await objects.patch(
      { ...card, spec: { ...card.spec, capabilities: [] } },
      undefined,
      undefined,
      'card-generator',
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(respecced.status).toEqual(status);
    expect(respecced.metadata?.generation).toBe(2);

    const table = await cp.kubectl(['get', 'ac', 'weather', '-n', ns.name, '--no-headers']);
    expect(table).toMatch(/^weather\s+Healthy\s+https:\/\/weather\.example\.com\/a2a\s+/);
  });
});
