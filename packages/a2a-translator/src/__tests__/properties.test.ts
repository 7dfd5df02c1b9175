import { AgentCard as SdkAgentCard } from '@a2a-js/sdk';
import { parseAgentCard } from '@agent-registry/crds';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  convertA2ACard,
  fromA2ACard,
  toA2ACard,
  validateA2ACard,
  type A2ACardV03,
  type A2ACardV1,
} from '../index.js';
import { deriveSkillTags } from '../skillTags.js';
import { rendered } from './rendered.js';
import { officialA2ASchema } from '@agent-registry/testing';
import { agentCardResource, anyCardV03 } from './arbitraries.js';

const schema = officialA2ASchema();
/** ajv's errors against the official A2A 0.3.0 AgentCard; never [] when the schema is unavailable. */
const officialErrors = (card: unknown): unknown[] =>
  schema.available ? schema.agentCardErrors(card) : [schema.reason];

const validResource = agentCardResource.filter(
  (resource) =>
    parseAgentCard(resource).ok &&
    resource.spec.endpoints !== undefined &&
    resource.spec.endpoints.length > 0,
);

/** Drops what ProtoJSON leaves out (empty lists and maps, false `required`), to compare with the SDK's re-encoding. */
const isEmptyObject = (value: unknown) =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0;

function protoDefaultsRemoved(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(protoDefaultsRemoved);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if ((Array.isArray(item) && item.length === 0) || item === '' || (key === 'required' && item === false))
        continue;
      const cleaned = protoDefaultsRemoved(item);
      const emptyMap = key !== 'capabilities' && isEmptyObject(cleaned);
      if (emptyMap) continue; // ProtoJSON omits empty maps
      out[key] = cleaned;
    }
    return out;
  }
  return value;
}

function assertV1Required(card: A2ACardV1) {
  const nonEmpty = expect.stringMatching(/./);
  for (const field of ['name', 'description', 'version'] as const) expect(card[field]).toEqual(nonEmpty);
  expect(card.supportedInterfaces.length).toBeGreaterThan(0);
  for (const item of card.supportedInterfaces) {
    expect(item).toEqual(
      expect.objectContaining({
        url: nonEmpty,
        protocolBinding: nonEmpty,
        protocolVersion: expect.stringMatching(/^\d+\.\d+$/),
      }),
    );
  }
  expect(card.capabilities).toBeTypeOf('object');
  expect(card.defaultInputModes.length).toBeGreaterThan(0);
  expect(card.defaultOutputModes.length).toBeGreaterThan(0);
  expect(card.skills.length).toBeGreaterThan(0);
  for (const skill of card.skills) {
    expect(skill).toEqual(expect.objectContaining({ id: nonEmpty, name: nonEmpty, description: nonEmpty }));
    expect(skill.tags.length).toBeGreaterThan(0);
  }
  for (const field of [
    'url',
    'preferredTransport',
    'additionalInterfaces',
    'protocolVersion',
    'security',
    'supportsAuthenticatedExtendedCard',
  ]) {
    expect(card).not.toHaveProperty(field);
  }
  expect(card.capabilities).not.toHaveProperty('stateTransitionHistory');
}

describe('properties of translation', () => {
  it.skipIf(!schema.available)('every 0.3.0 card validates against the official A2A schema', () => {
    fc.assert(
      fc.property(validResource, (resource) => {
        expect(officialErrors(rendered(toA2ACard(resource, { a2aVersion: '0.3.0' })).card)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('every 0.3.0 card passes validateA2ACard and holds no 1.0 field', () => {
    fc.assert(
      fc.property(validResource, (resource) => {
        const { card } = rendered(toA2ACard(resource, { a2aVersion: '0.3.0' }));
        expect(validateA2ACard(card).ok).toBe(true);
        for (const field of ['supportedInterfaces', 'securityRequirements'])
          expect(card).not.toHaveProperty(field);
        expect(card.capabilities).not.toHaveProperty('extendedAgentCard');
      }),
      { numRuns: 300 },
    );
  });

  it('every 1.0 card parses with @a2a-js/sdk AgentCard.fromJSON to the same content and has the required fields', () => {
    fc.assert(
      fc.property(validResource, (resource) => {
        const { card } = rendered(toA2ACard(resource, { a2aVersion: '1.0' }));
        expect(validateA2ACard(card)).toMatchObject({ ok: true, version: '1.0' });
        assertV1Required(card);
        const reencoded = SdkAgentCard.toJSON(SdkAgentCard.fromJSON(card));
        expect(protoDefaultsRemoved(reencoded)).toEqual(protoDefaultsRemoved(card));
      }),
      { numRuns: 300 },
    );
  });

  it('card -> spec -> card gives the same card, for both versions', () => {
    fc.assert(
      fc.property(validResource, fc.constantFrom('0.3.0' as const, '1.0' as const), (resource, version) => {
        const { card } = rendered(toA2ACard(resource, { a2aVersion: version }));
        const imported = fromA2ACard(card);
        if (!imported.ok) throw new Error(JSON.stringify(imported.issues));
        expect(imported.version).toBe(version);
        expect(
          parseAgentCard({
            apiVersion: 'kagent.dev/v1alpha1',
            kind: 'AgentCard',
            metadata: { name: imported.name },
            spec: imported.spec,
          }).ok,
        ).toBe(true);
        const again = rendered(toA2ACard({ metadata: { name: imported.name }, spec: imported.spec }));
        expect(canonicalJson(again.card)).toBe(canonicalJson(card));
      }),
      { numRuns: 300 },
    );
  });

  it('imports any importable 0.3.0 card and renders it back up to the documented normalisation', () => {
    const text = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() === s && s !== '');
    const url = fc.webUrl({ withQueryParameters: false, withFragments: false });
    fc.assert(
      fc.property(anyCardV03(text, url), (card) => {
        const imported = fromA2ACard(card);
        if (!imported.ok) throw new Error(JSON.stringify(imported.issues));
        const again = rendered(toA2ACard({ metadata: { name: imported.name }, spec: imported.spec }))
          .card as A2ACardV03;
        const expected = structuredClone(card) as A2ACardV03;
        // Documented normalisation: absent capability flags become explicit false; duplicate skill ids keep the
        // first; a card without skills gains the General Purpose skill.
        expected.capabilities = {
          streaming: card.capabilities.streaming ?? false,
          pushNotifications: card.capabilities.pushNotifications ?? false,
          stateTransitionHistory: card.capabilities.stateTransitionHistory ?? false,
          ...(card.capabilities.extensions ? { extensions: card.capabilities.extensions } : {}),
        };
        const ids = new Set<string>();
        expected.skills = expected.skills.filter((skill) => !ids.has(skill.id) && ids.add(skill.id));
        // ...a skill without tags gets tags derived from its name and id...
        for (const skill of expected.skills)
          if (skill.tags.length === 0) skill.tags = deriveSkillTags(skill.id, skill.name);
        // ...and empty default modes become text/plain.
        if (expected.defaultInputModes.length === 0) expected.defaultInputModes = ['text/plain'];
        if (expected.defaultOutputModes.length === 0) expected.defaultOutputModes = ['text/plain'];
        if (expected.skills.length === 0)
          expected.skills = again.skills.filter((skill) => skill.id === 'general');
        expect(expected.skills.length).toBeGreaterThan(0);
        expect(canonicalJson(again)).toBe(canonicalJson(expected));
      }),
      { numRuns: 200 },
    );
  });

  it('converts 0.3.0 -> 1.0 -> 0.3.0 without losing what both versions carry', () => {
    const url = fc.webUrl({ withQueryParameters: false, withFragments: false });
    fc.assert(
      fc.property(anyCardV03(fc.stringMatching(/^[a-z][a-z0-9 ]{0,9}$/), url), (card) => {
        const up = convertA2ACard(card, '1.0');
        if (!up.ok) throw new Error(JSON.stringify(up.issues));
        expect(validateA2ACard(up.card, '1.0').ok).toBe(true);
        const down = convertA2ACard(up.card, '0.3.0');
        if (!down.ok) throw new Error(JSON.stringify(down.issues));
        expect(validateA2ACard(down.card, '0.3.0').ok).toBe(true);
        const back = down.card as A2ACardV03;
        expect(back.name).toBe(card.name);
        expect(back.url).toBe(card.url);
        const unique = card.skills.filter((s, i, all) => all.findIndex((o) => o.id === s.id) === i);
        if (unique.length > 0) {
          expect(back.skills.map((skill) => skill.description)).toEqual(
            unique.map((skill) => skill.description),
          );
        } else {
          expect(back.skills.map((skill) => skill.id)).toEqual(['general']);
        }
        expect(Object.keys(back.securitySchemes ?? {}).length).toBeLessThanOrEqual(
          Object.keys(card.securitySchemes ?? {}).length,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('renders exactly when the card has a URL: an endpoint or the baseUrl option', () => {
    fc.assert(
      fc.property(
        agentCardResource.filter((resource) => parseAgentCard(resource).ok),
        fc.constantFrom('0.3.0' as const, '1.0' as const),
        fc.option(fc.constant('https://registry.example.com/agents/default/x'), { nil: undefined }),
        (resource, a2aVersion, baseUrl) => {
          const result = toA2ACard(
            resource,
            baseUrl === undefined ? { a2aVersion } : { a2aVersion, baseUrl },
          );
          const reachable = baseUrl !== undefined || (resource.spec.endpoints?.length ?? 0) > 0;
          expect(result.ok).toBe(reachable);
          if (!result.ok) {
            expect(result.issues).toEqual([
              {
                severity: 'error',
                path: 'spec.endpoints',
                message: expect.stringContaining('no endpoint and no baseUrl'),
              },
            ]);
          } else {
            expect(validateA2ACard(result.card, a2aVersion)).toMatchObject({ ok: true, issues: [] });
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it.skipIf(!schema.available)(
    'converts 0.3.0 -> 1.0 -> 0.3.0 into a card valid against the official A2A schema',
    () => {
      const url = fc.webUrl({ withQueryParameters: false, withFragments: false });
      fc.assert(
        fc.property(anyCardV03(fc.stringMatching(/^[a-z][a-z0-9 ]{0,9}$/), url), (card) => {
          const up = convertA2ACard(card, '1.0');
          const down = up.ok ? convertA2ACard(up.card, '0.3.0') : up;
          expect(down.ok ? officialErrors(down.card) : down.issues).toEqual([]);
        }),
        { numRuns: 100 },
      );
    },
  );

  it('never throws and never pollutes Object.prototype on hostile input', () => {
    const hostileKey = fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'skills.__proto__.tags',
      'securitySchemes',
    );
    const hostileValue = fc.oneof(
      fc.constant('{"__proto__":{"polluted":true}}'),
      fc.constant('[{"__proto__":["x"]}]'),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constant('x'.repeat(100_000)),
    );
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.oneof(hostileKey, fc.string()),
          fc.oneof(hostileValue, fc.anything()) as fc.Arbitrary<string>,
        ),
        fc.anything(),
        fc.anything(),
        (metadata, spec, json) => {
          const resources = [
            {
              metadata: { name: '\u0000' },
              spec: { metadata, capabilities: ['__proto__'], endpoints: ['https://a'] },
            },
            { metadata: { name: 'x' }, spec } as never,
            json as never,
          ];
          for (const resource of resources) {
            toA2ACard(resource, { a2aVersion: '1.0' });
            toA2ACard(resource);
          }
          for (const value of [json, spec, JSON.parse('{"__proto__":{"polluted":true},"url":"x"}')]) {
            validateA2ACard(value);
            fromA2ACard(value);
            convertA2ACard(value, '1.0');
          }
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
          expect(Object.keys(Object.prototype)).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
