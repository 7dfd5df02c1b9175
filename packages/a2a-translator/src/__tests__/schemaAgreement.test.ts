import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateA2ACard } from '../index.js';
import { officialA2ASchema } from '@agent-registry/testing';
import { anyCardV03, mutate, replacement } from './arbitraries.js';

const schema = officialA2ASchema();
const officialV03 = (card: unknown): boolean => {
  if (!schema.available) throw new Error(schema.reason);
  return schema.agentCardErrors(card).length === 0;
};

describe('the valibot 0.3.0 schema agrees with the official JSON schema', () => {
  it.skipIf(!schema.available)('accepts every card the official A2A schema accepts', () => {
    fc.assert(
      fc.property(anyCardV03(), (card) => {
        expect(officialV03(card)).toBe(true);
        expect(validateA2ACard(card, '0.3.0').issues).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it.skipIf(!schema.available)('gives the same verdict on broken cards as the official A2A schema', () => {
    let invalid = 0;
    fc.assert(
      fc.property(anyCardV03(), fc.nat(), replacement, (card, pick, value) => {
        const broken = mutate(card, pick, value);
        const official = officialV03(broken);
        const ours = validateA2ACard(broken, '0.3.0');
        if (!official) invalid += 1;
        expect({ verdict: ours.ok, issues: ours.issues }).toMatchObject({ verdict: official });
      }),
      { numRuns: 1500 },
    );
    expect(invalid).toBeGreaterThan(300); // the corpus really exercises rejections
  });

  it('reports path-precise issues', () => {
    const result = validateA2ACard({
      protocolVersion: '0.3.0',
      name: 'a',
      description: 'b',
      url: 'https://a',
      version: '1',
      capabilities: { streaming: 'yes' },
      defaultInputModes: [],
      defaultOutputModes: [],
      skills: [{ id: 's', name: 'n', description: 'd', tags: [1] }],
      securitySchemes: JSON.parse('{"__proto__": {"type": "bogus"}}') as unknown,
    });
    expect(result.ok).toBe(false);
    expect(result.issues.map((issue) => issue.path)).toEqual([
      'capabilities.streaming',
      'securitySchemes.__proto__.type',
      'skills[0].tags[0]',
    ]);
  });

  it('rejects 0.3-only fields in a 1.0 card, naming the replacement', () => {
    const result = validateA2ACard(
      {
        name: 'a',
        description: 'b',
        supportedInterfaces: [],
        version: '1',
        capabilities: { stateTransitionHistory: true },
        defaultInputModes: [],
        defaultOutputModes: [],
        skills: [],
        security: [],
      },
      '1.0',
    );
    expect(result.issues).toEqual([
      {
        severity: 'error',
        path: 'supportedInterfaces',
        message: 'must have at least one element (REQUIRED in A2A 1.0)',
      },
      {
        severity: 'error',
        path: 'capabilities.stateTransitionHistory',
        message: 'is an A2A 0.3 field; 1.0 uses nothing (removed in 1.0)',
      },
      {
        severity: 'error',
        path: 'defaultInputModes',
        message: 'must have at least one element (REQUIRED in A2A 1.0)',
      },
      {
        severity: 'error',
        path: 'defaultOutputModes',
        message: 'must have at least one element (REQUIRED in A2A 1.0)',
      },
      { severity: 'error', path: 'skills', message: 'must have at least one element (REQUIRED in A2A 1.0)' },
      { severity: 'error', path: 'security', message: 'is an A2A 0.3 field; 1.0 uses securityRequirements' },
    ]);
  });

  it('holds a 1.0 card to the REQUIRED rules of §5.7: no empty strings, lists or patch versions', () => {
    const card = {
      name: '',
      description: 'b',
      supportedInterfaces: [
        { url: 'https://a.example.com', protocolBinding: 'JSONRPC', protocolVersion: '1.0.0' },
      ],
      version: '1.0.0',
      capabilities: {},
      defaultInputModes: ['text/plain'],
      defaultOutputModes: ['text/plain'],
      skills: [{ id: 's', name: 'S', description: '', tags: [] }],
    };
    expect(validateA2ACard(card, '1.0').issues).toEqual([
      { severity: 'error', path: 'name', message: 'must not be empty (REQUIRED in A2A 1.0)' },
      {
        severity: 'error',
        path: 'supportedInterfaces[0].protocolVersion',
        message: 'must be a protocol version as Major.Minor (e.g. 1.0 or 0.3)',
      },
      {
        severity: 'error',
        path: 'skills[0].description',
        message: 'must not be empty (REQUIRED in A2A 1.0)',
      },
      {
        severity: 'error',
        path: 'skills[0].tags',
        message: 'must have at least one element (REQUIRED in A2A 1.0)',
      },
    ]);
    const fixed = {
      ...card,
      name: 'a',
      supportedInterfaces: [{ ...card.supportedInterfaces[0], protocolVersion: '1.0' }],
      skills: [{ id: 's', name: 'S', description: 'd', tags: ['t'] }],
    };
    expect(validateA2ACard(fixed, '1.0')).toMatchObject({ ok: true, version: '1.0', issues: [] });
  });
});
