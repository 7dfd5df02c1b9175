import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateA2ACard } from '../index.js';
import { officialV03 } from './ajv.js';
import { anyCardV03, mutate, replacement } from './arbitraries.js';

describe('the valibot 0.3.0 schema agrees with the official JSON schema', () => {
  it('accepts every card the official schema accepts', () => {
    fc.assert(
      fc.property(anyCardV03(), (card) => {
        expect(officialV03(card)).toBe(true);
        expect(validateA2ACard(card, '0.3.0').issues).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same verdict on broken cards (one node replaced or deleted)', () => {
    let invalid = 0;
    fc.assert(
      fc.property(anyCardV03(), fc.nat(), replacement, (card, pick, value) => {
        const broken = mutate(card, pick, value);
        const official = officialV03(broken);
        const ours = validateA2ACard(broken, '0.3.0');
        if (!official) invalid += 1;
        expect({ verdict: ours.valid, issues: ours.issues }).toMatchObject({ verdict: official });
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
    expect(result.valid).toBe(false);
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
        path: 'capabilities.stateTransitionHistory',
        message: 'is an A2A 0.3 field; 1.0 uses nothing (removed in 1.0)',
      },
      { path: 'security', message: 'is an A2A 0.3 field; 1.0 uses securityRequirements' },
    ]);
  });
});
