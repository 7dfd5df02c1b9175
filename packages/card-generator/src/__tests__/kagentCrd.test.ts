import { ApiException, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { integration, kagentAgentCrd } from '@agent-registry/testing';
import { METADATA_KEYS } from '@agent-registry/a2a-translator';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateAgentCard, toCardMetadataAnnotations } from '../index.js';
import { kagentAgent, kagentFixtures, sourceDiagnostics } from './fixtures.js';

const kagentCrd = kagentAgentCrd();

/** The apiserver's message for a rejected object, or undefined when it accepted it. */
async function dryRunCreate(api: KubernetesObjectApi, object: KubernetesObject): Promise<string | undefined> {
  try {
    await api.create(object, undefined, 'All');
    return undefined;
  } catch (error) {
    if (error instanceof ApiException) {
      const body = (typeof error.body === 'string' ? JSON.parse(error.body) : error.body) as {
        message?: string;
      };
      return body.message ?? `HTTP ${error.code}`;
    }
    throw error;
  }
}

const inNamespace = (
  agent: { metadata: Record<string, unknown> } & Record<string, unknown>,
  namespace: string,
): KubernetesObject => {
  const { uid: _uid, ...metadata } = agent.metadata;
  return { ...agent, metadata: { ...metadata, namespace } } as KubernetesObject;
};

integration.describe("the generator's kagent Agents on a real apiserver with kagent's own CRD", (cp) => {
  describe.skipIf(!kagentCrd.available)('server-side dry-run', () => {
    const api = KubernetesObjectApi.makeApiClient(cp.kubeConfig);
    let namespace: string;
    beforeAll(async () => {
      namespace = (await cp.createNamespace('kagent-fixtures')).name;
    });

    it.each(Object.entries(kagentFixtures))(
      'kagent accepts the %s fixture, and it gets a card',
      async (_, make) => {
        const agent = make();
        expect(await dryRunCreate(api, inNamespace(agent, namespace))).toBeUndefined();
        const { card, diagnostics } = generateAgentCard(agent);
        expect(card).toBeDefined();
        expect(sourceDiagnostics(diagnostics).filter((d) => d.severity === 'error')).toEqual([]);
      },
    );

    it('kagent rejects a Declarative agent without its declarative block (what the old fixtures were)', async () => {
      const { declarative: _declarative, ...spec } = kagentAgent().spec;
      const message = await dryRunCreate(api, inNamespace({ ...kagentAgent(), spec }, namespace));
      expect(message).toMatch(/declarative must be specified if type is Declarative/);
    });

    it('accepts card metadata for every key of the scheme, as toCardMetadataAnnotations writes it', async () => {
      const entries = Object.fromEntries(
        METADATA_KEYS.map((info) => [info.key.replace('<skillId>', 'diagnose-pod'), 'x']),
      );
      // And keys that need the JSON annotation: a long skill id, a space in one.
      entries[`skills.${'a'.repeat(60)}.description`] = 'x';
      entries['skills.log search.description'] = 'x';
      const annotations = toCardMetadataAnnotations(entries);
      expect(Object.keys(annotations)).toContain('kagent.dev/card-metadata');
      expect(await dryRunCreate(api, inNamespace(kagentAgent(annotations), namespace))).toBeUndefined();
    });

    it('rejects the old two-slash form, as the generator says', async () => {
      const old = 'kagent.dev/card-metadata/provider.organization';
      const message = await dryRunCreate(api, inNamespace(kagentAgent({ [old]: 'My Company' }), namespace));
      expect(message).toContain(
        `metadata.annotations: Invalid value: "${old}": a qualified name must consist of`,
      );
      const { diagnostics } = generateAgentCard(kagentAgent({ [old]: 'My Company' }));
      expect(sourceDiagnostics(diagnostics)).toEqual([
        expect.objectContaining({
          severity: 'error',
          annotation: old,
          message: expect.stringContaining('use "kagent.dev/card-provider.organization"'),
        }),
      ]);
    });
  });
});
