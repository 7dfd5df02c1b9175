import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAgentCard } from '@agent-registry/crds';
import { ANNOTATIONS, generateAgentCard } from '../index.js';
import { contentHash, validateA2ACard } from '@agent-registry/a2a-translator';
import { officialA2ASchema } from '@agent-registry/testing';
import { agentArbitrary, kagentAgentArbitrary, reorderKeys } from './arbitraries.js';

const schema = officialA2ASchema();
/** ajv's errors against the official A2A 0.3.0 AgentCard; never [] when the schema is unavailable. */
const officialErrors = (card: unknown): unknown[] =>
  schema.available ? schema.agentCardErrors(card) : [schema.reason];

type Agent = {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
};
const hashOf = (source: unknown): string | undefined => generateAgentCard(source).card?.spec.contentHash;
const clone = <T>(value: T): T => structuredClone(value);
const annotationsOf = (agent: Agent) => (agent.metadata.annotations ??= {}) as Record<string, string>;

describe('content hash', () => {
  it('every valid agent yields a valid AgentCard, with a valid public card, without errors', () => {
    fc.assert(
      fc.property(agentArbitrary, (agent) => {
        const { card, diagnostics } = generateAgentCard(agent);
        expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const parsed = parseAgentCard(card);
        expect(parsed.ok ? [] : parsed.issues).toEqual([]);
        expect(validateA2ACard(card?.spec.publicCard, card?.spec.a2aVersion).issues).toEqual([]);
      }),
    );
  });

  it.skipIf(!schema.available)('every 0.3.0 public card is valid against the official A2A schema', () => {
    fc.assert(
      fc.property(agentArbitrary, (agent) => {
        const { card } = generateAgentCard(agent);
        if (card?.spec.a2aVersion === '0.3.0') expect(officialErrors(card.spec.publicCard)).toEqual([]);
      }),
    );
  });

  it('is stable under reordering of the keys of the input', () => {
    fc.assert(
      fc.property(agentArbitrary, fc.nat(), (agent, seed) => {
        expect(hashOf(reorderKeys(agent, seed))).toBe(hashOf(agent));
      }),
    );
  });

  const irrelevant: [string, (agent: Agent) => void][] = [
    ['status', (a) => Object.assign(a, { status: { health: 'Unhealthy', conditions: [] } })],
    ['resourceVersion', (a) => Object.assign(a.metadata, { resourceVersion: '98765' })],
    ['generation', (a) => Object.assign(a.metadata, { generation: 7 })],
    [
      'managedFields',
      (a) => Object.assign(a.metadata, { managedFields: [{ manager: 'kubectl', operation: 'Apply' }] }),
    ],
    ['creationTimestamp', (a) => Object.assign(a.metadata, { creationTimestamp: '2025-01-01T00:00:00Z' })],
    ['labels', (a) => Object.assign(a.metadata, { labels: { team: 'sre', 'app.kubernetes.io/name': 'x' } })],
    ['an unrelated annotation', (a) => Object.assign(annotationsOf(a), { 'example.com/owner': 'sre' })],
    [
      'last-applied-configuration',
      (a) =>
        Object.assign(annotationsOf(a), { 'kubectl.kubernetes.io/last-applied-configuration': '{"a":1}' }),
    ],
  ];
  it.each(irrelevant)('is unchanged when only %s changes', (_, mutate) => {
    fc.assert(
      fc.property(agentArbitrary, (agent) => {
        const changed = clone(agent) as Agent;
        mutate(changed);
        expect(hashOf(changed)).toBe(hashOf(agent));
      }),
    );
  });

  const relevant: [string, (agent: Agent) => void][] = [
    ['the name', (a) => Object.assign(a.metadata, { name: `${String(a.metadata.name)}-x` })],
    ['the uid', (a) => Object.assign(a.metadata, { uid: '00000000-0000-4000-8000-00000000ffff' })],
    [
      'the description',
      (a) => Object.assign(a.spec, { description: `${String(a.spec.description ?? '')} (new)` }),
    ],
    [
      'the card metadata',
      (a) =>
        Object.assign(annotationsOf(a), {
          [`${ANNOTATIONS.cardMetadataPrefix}provider.organization`]: 'Changed Co.',
        }),
    ],
    [
      'the A2A version',
      (a) =>
        Object.assign(annotationsOf(a), {
          [ANNOTATIONS.a2aVersion]: annotationsOf(a)[ANNOTATIONS.a2aVersion] === '1.0' ? '0.3.0' : '1.0',
        }),
    ],
  ];
  it.each(relevant)('changes when %s changes', (_, mutate) => {
    fc.assert(
      fc.property(agentArbitrary, (agent) => {
        const changed = clone(agent) as Agent;
        mutate(changed);
        expect(hashOf(changed)).not.toBe(hashOf(agent));
      }),
    );
  });

  it('changes when a kagent capability, skill or endpoint changes', () => {
    const hasSkills = (a: Agent) => JSON.stringify(a.spec).includes('"skills"');
    // Each mutation returns false where it cannot matter: capability strings are ignored beside typed skills.
    const mutations: ((agent: Agent) => boolean)[] = [
      (a) => {
        const annotations = annotationsOf(a);
        annotations[ANNOTATIONS.capabilities] =
          `${annotations[ANNOTATIONS.capabilities] ?? ''},brand-new-capability`;
        return !hasSkills(a);
      },
      (a) => {
        Object.assign(annotationsOf(a), { [ANNOTATIONS.a2aEndpoint]: 'https://changed.example/a2a' });
        return true;
      },
      (a) => {
        Object.assign(a.spec, { declarative: { a2aConfig: { skills: [{ id: 'new-skill', name: 'New' }] } } });
        return true;
      },
    ];
    fc.assert(
      fc.property(kagentAgentArbitrary, fc.constantFrom(...mutations), (agent, mutate) => {
        const changed = clone(agent) as Agent;
        fc.pre(mutate(changed));
        expect(hashOf(changed)).not.toBe(hashOf(agent));
      }),
    );
  });

  it('changes when an a2a.io capability, endpoint or authentication changes', () => {
    const mutations: ((spec: Record<string, unknown>) => void)[] = [
      (s) =>
        Object.assign(s, { capabilities: [...((s.capabilities as unknown[]) ?? []), { name: 'brand-new' }] }),
      (s) => Object.assign(s, { endpoints: [{ url: 'https://changed.example/a2a', transport: 'GRPC' }] }),
      (s) =>
        Object.assign(s, {
          authentication: {
            scheme: 'openIdConnect',
            parameters: { openIdConnectUrl: 'https://idp.example/oidc' },
          },
        }),
      (s) => Object.assign(s, { version: `${String(s.version ?? '')}9` }),
    ];
    fc.assert(
      fc.property(
        agentArbitrary.filter((a) => a.apiVersion === 'a2a.io/v1'),
        fc.constantFrom(...mutations),
        (agent, mutate) => {
          const changed = clone(agent) as Agent;
          mutate(changed.spec);
          expect(hashOf(changed)).not.toBe(hashOf(agent));
        },
      ),
    );
  });

  it('equals a hash of the spec without it (recomputable by anyone with the translator)', () => {
    fc.assert(
      fc.property(agentArbitrary, (agent) => {
        const { card } = generateAgentCard(agent);
        const { contentHash: stored, ...rest } = card!.spec;
        expect(stored).toBe(contentHash(rest));
      }),
    );
  });
});
