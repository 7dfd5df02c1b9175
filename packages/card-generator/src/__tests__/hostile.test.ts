import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANNOTATIONS, generateAgentCard, shouldRegister, summarizeDiagnostics } from '../index.js';
import { a2aAgent, kagentAgent, sourceDiagnostics } from './fixtures.js';

describe('hostile input', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a string', 'apiVersion: kagent.dev/v1alpha2'],
    ['an array', [kagentAgent()]],
    ['a function', () => 1],
    ['an empty object', {}],
    ['an unsupported kind', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } }],
  ])('%s: no card, an error, no throw', (_, input) => {
    const { card, diagnostics } = generateAgentCard(input);
    expect(card).toBeUndefined();
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.every((d) => d.severity === 'error')).toBe(true);
    expect(shouldRegister(input)).toBe(false);
  });

  it('refuses an AgentCard as a source', () => {
    const card = generateAgentCard(kagentAgent()).card;
    const result = generateAgentCard(card);
    expect(result.card).toBeUndefined();
    expect(result.diagnostics).toEqual([expect.objectContaining({ severity: 'error', path: 'kind' })]);
  });

  it.each([
    ['no metadata', { apiVersion: 'a2a.io/v1', kind: 'Agent', spec: {} }, 'metadata'],
    ['no name', a2aAgent({}, undefined, { name: undefined }), 'metadata.name'],
    ['an empty name', kagentAgent({}, {}, { name: '' }), 'metadata.name'],
    ['a name that is not a DNS name', kagentAgent({}, {}, { name: 'My Agent/../x' }), 'metadata.name'],
    ['a name that is an object', kagentAgent({}, {}, { name: { toString: 'x' } }), 'metadata.name'],
    ['a bad namespace', a2aAgent({}, undefined, { namespace: 'Not_Valid' }), 'metadata.namespace'],
  ])('%s: no card, an error at the path', (_, input, path) => {
    const { card, diagnostics } = generateAgentCard(input);
    expect(card).toBeUndefined();
    expect(diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', path }));
  });

  it('survives a huge capabilities annotation and reports it in a bounded summary', () => {
    const huge = Array.from({ length: 100_000 }, (_, i) => `cap-${i}`).join(',') + ',' + 'z'.repeat(300_000);
    const { card, diagnostics } = generateAgentCard(kagentAgent({ [ANNOTATIONS.capabilities]: huge }));
    // Over Kubernetes' 256 KiB annotation total: the whole set is reported; the card is still made from the valid parts.
    expect(card).toBeDefined();
    expect(card?.spec.capabilities?.length).toBeLessThanOrEqual(256);
    // One diagnostic per kind of problem, not one per dropped name.
    expect(sourceDiagnostics(diagnostics).map((d) => d.message)).toEqual([
      'annotations must total at most 262144 bytes',
      '1 capability name(s) longer than 256 characters were dropped',
      'at most 256 capabilities are allowed; 99744 more were dropped',
    ]);
    const summary = summarizeDiagnostics(diagnostics);
    expect(new TextEncoder().encode(summary).length).toBeLessThanOrEqual(1024);
    expect(summary).not.toContain('\n');
  });

  it('survives a huge card-metadata value', () => {
    const annotation = `${ANNOTATIONS.cardMetadataPrefix}provider.organization`;
    const { card, diagnostics } = generateAgentCard(kagentAgent({ [annotation]: 'x'.repeat(100_000) }));
    expect(card?.spec.metadata?.['provider.organization']).toBeUndefined();
    expect(sourceDiagnostics(diagnostics)).toEqual([
      expect.objectContaining({ severity: 'error', annotation }),
    ]);
  });

  it('ignores __proto__ keys everywhere without polluting prototypes', () => {
    const source = JSON.parse(`{
      "apiVersion": "kagent.dev/v1alpha2", "kind": "Agent",
      "__proto__": { "polluted": true },
      "metadata": {
        "name": "evil", "namespace": "default", "__proto__": { "polluted": true },
        "annotations": {
          "kagent.dev/register-to-registry": "true",
          "__proto__": "x",
          "kagent.dev/card-__proto__": "{\\"polluted\\": true}",
          "kagent.dev/card-constructor": "x",
          "kagent.dev/card-metadata": "{\\"__proto__\\": \\"x\\", \\"constructor\\": \\"x\\"}"
        }
      },
      "spec": { "__proto__": { "description": "polluted" }, "description": "fine" }
    }`);
    expect(shouldRegister(source)).toBe(true);
    const { card, diagnostics } = generateAgentCard(source);
    expect(card?.spec.metadata).toEqual({ description: 'fine' });
    expect(sourceDiagnostics(diagnostics).map((d) => d.annotation)).toEqual([
      'kagent.dev/card-metadata',
      'kagent.dev/card-metadata',
      'kagent.dev/card-__proto__',
      'kagent.dev/card-constructor',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(card?.spec.metadata)).toBe(Object.prototype);
  });

  it('keeps the string annotations when one annotation is not a string', () => {
    const source = kagentAgent({ [`${ANNOTATIONS.cardMetadataPrefix}iconUrl`]: 'https://x.example/i.png' });
    Object.assign(source.metadata.annotations, { [ANNOTATIONS.capabilities]: 42 });
    const { card, diagnostics } = generateAgentCard(source);
    expect(card?.spec.metadata).toEqual({ iconUrl: 'https://x.example/i.png' });
    expect(sourceDiagnostics(diagnostics)).toEqual([
      {
        severity: 'error',
        path: 'metadata.annotations["kagent.dev/capabilities"]',
        message: 'annotation values must be strings',
      },
    ]);
  });

  it('does not throw on objects whose getters throw', () => {
    const trap = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
        ownKeys() {
          throw new Error('boom');
        },
      },
    );
    expect(() => generateAgentCard(trap)).not.toThrow();
    expect(generateAgentCard(trap).card).toBeUndefined();
    expect(shouldRegister(trap)).toBe(false);
  });

  it('never throws on arbitrary JSON shaped a bit like an agent', () => {
    const loose = fc.anything({ maxDepth: 3 });
    const agentish = fc.record({
      apiVersion: fc.constantFrom('kagent.dev/v1alpha2', 'a2a.io/v1'),
      kind: fc.constant('Agent'),
      metadata: fc.oneof(
        loose,
        fc.record({
          name: fc.oneof(fc.string(), loose),
          annotations: fc.dictionary(fc.string(), fc.oneof(fc.string(), loose)),
        }),
      ),
      spec: fc.oneof(
        loose,
        fc.record({ capabilities: loose, endpoints: loose, authentication: loose, description: loose }),
      ),
    });
    fc.assert(
      fc.property(fc.oneof(loose, agentish), (input) => {
        const result = generateAgentCard(input);
        if (result.card === undefined)
          expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        expect(typeof shouldRegister(input)).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});
