import { describe, expect, it } from 'vitest';
import {
  ANNOTATIONS,
  generateAgentCard,
  MANAGED_BY_LABEL,
  needsUpdate,
  resolveOptions,
  shouldRegister,
  summarizeDiagnostics,
  type Diagnostic,
} from '../index.js';
import { a2aAgent, designExample, kagentAgent } from './fixtures.js';

describe('shouldRegister', () => {
  const cases: [string, unknown, boolean][] = [
    ['kagent Agent that opted in', kagentAgent(), true],
    [
      'kagent Agent that opted in with " True "',
      kagentAgent({ [ANNOTATIONS.registerToRegistry]: ' True ' }),
      true,
    ],
    ['kagent Agent without the annotation', { ...kagentAgent(), metadata: { name: 'x' } }, false],
    [
      'kagent Agent with register-to-registry "false"',
      kagentAgent({ [ANNOTATIONS.registerToRegistry]: 'false' }),
      false,
    ],
    [
      'kagent Agent with register-to-registry "yes"',
      kagentAgent({ [ANNOTATIONS.registerToRegistry]: 'yes' }),
      false,
    ],
    ['kagent Agent that opted in and out', kagentAgent({ [ANNOTATIONS.discoveryDisabled]: 'true' }), false],
    [
      'kagent Agent opted out via a2a.io/',
      kagentAgent({ [ANNOTATIONS.a2aDiscoveryDisabled]: 'true' }),
      false,
    ],
    ['a2a.io Agent', a2aAgent(), true],
    [
      'a2a.io Agent with discovery-disabled "false"',
      a2aAgent({}, { [ANNOTATIONS.discoveryDisabled]: 'false' }),
      true,
    ],
    ['a2a.io Agent opted out', a2aAgent({}, { [ANNOTATIONS.discoveryDisabled]: 'true' }), false],
    [
      'a2a.io Agent opted out via a2a.io/',
      a2aAgent({}, { [ANNOTATIONS.a2aDiscoveryDisabled]: 'TRUE' }),
      false,
    ],
    ['a2a.io Agent with an invalid spec', { ...a2aAgent(), spec: { endpoints: 'nope' } }, true],
    ['AgentCard', { apiVersion: 'kagent.dev/v1alpha1', kind: 'AgentCard', metadata: { name: 'x' } }, false],
    ['other kind with the annotation', { ...kagentAgent(), apiVersion: 'v1', kind: 'ConfigMap' }, false],
    [
      'annotation value not a string',
      { ...kagentAgent(), metadata: { name: 'x', annotations: { [ANNOTATIONS.registerToRegistry]: true } } },
      false,
    ],
  ];
  it.each(cases)('%s → %s', (_, source, expected) => {
    expect(shouldRegister(source)).toBe(expected);
  });
});

describe('needsUpdate', () => {
  const desired = generateAgentCard(designExample()).card!;

  it('is true when there is no card yet', () => {
    expect(needsUpdate(undefined, desired)).toBe(true);
  });

  it('is false when the same agent is generated again, even after a round trip through JSON', () => {
    const again = generateAgentCard(JSON.parse(JSON.stringify(designExample()))).card!;
    expect(needsUpdate(again, desired)).toBe(false);
  });

  it('is false when only the server-side fields of the stored card differ', () => {
    const stored = structuredClone(desired);
    Object.assign(stored.metadata, {
      resourceVersion: '5',
      uid: 'card-uid',
      labels: { ...stored.metadata.labels, team: 'x' },
    });
    stored.status = { health: 'Healthy' };
    expect(needsUpdate(stored, desired)).toBe(false);
  });

  it('is true when the agent changed', () => {
    const changed = generateAgentCard(
      kagentAgent({ [ANNOTATIONS.capabilities]: 'kubernetes' }, { description: 'My custom agent' }),
    ).card!;
    expect(needsUpdate(changed, desired)).toBe(true);
  });

  it('is true when the stored card has no hash', () => {
    const stored = structuredClone(desired);
    delete stored.spec.contentHash;
    expect(needsUpdate(stored, desired)).toBe(true);
  });

  it('is true when the managed-by label is missing or different', () => {
    const unlabelled = structuredClone(desired);
    unlabelled.metadata.labels = {};
    expect(needsUpdate(unlabelled, desired)).toBe(true);
    const other = generateAgentCard(designExample(), { managedBy: 'someone-else' }).card!;
    expect(needsUpdate(other, desired)).toBe(true);
  });

  it('is true when the owner reference is missing, false when others are added', () => {
    const orphan = structuredClone(desired);
    delete orphan.metadata.ownerReferences;
    expect(needsUpdate(orphan, desired)).toBe(true);
    const shared = structuredClone(desired);
    shared.metadata.ownerReferences = [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'other' },
      ...(desired.metadata.ownerReferences ?? []),
    ];
    expect(needsUpdate(shared, desired)).toBe(false);
  });
});

describe('options', () => {
  it('fills in defaults', () => {
    expect(resolveOptions(undefined)).toEqual({
      options: {
        clusterDomain: 'cluster.local',
        defaultPort: 8080,
        a2aVersion: '0.3.0',
        managedBy: 'agent-registry',
      },
      diagnostics: [],
    });
  });

  it.each([
    [{ clusterDomain: 'Cluster.Local' }, 'options.clusterDomain'],
    [{ clusterDomain: 'a..b' }, 'options.clusterDomain'],
    [{ clusterDomain: 42 }, 'options.clusterDomain'],
    [{ defaultPort: 0 }, 'options.defaultPort'],
    [{ defaultPort: 65536 }, 'options.defaultPort'],
    [{ defaultPort: 80.5 }, 'options.defaultPort'],
    [{ defaultPort: '8080' }, 'options.defaultPort'],
    [{ a2aVersion: '0.2.5' }, 'options.a2aVersion'],
    [{ managedBy: 'has spaces' }, 'options.managedBy'],
    [{ managedBy: 'x'.repeat(64) }, 'options.managedBy'],
    ['not an object', 'options'],
  ])('rejects %j: no card, an error at %s', (options, path) => {
    const { card, diagnostics } = generateAgentCard(designExample(), options as never);
    expect(card).toBeUndefined();
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', path })]);
  });

  it('honours the a2aVersion option unless the agent asks otherwise', () => {
    expect(generateAgentCard(designExample(), { a2aVersion: '1.0' }).card?.spec.a2aVersion).toBe('1.0');
    const pinned = kagentAgent({ [ANNOTATIONS.a2aVersion]: '0.3.0' });
    expect(generateAgentCard(pinned, { a2aVersion: '1.0' }).card?.spec.a2aVersion).toBe('0.3.0');
  });

  it('labels cards with the managed-by label', () => {
    expect(generateAgentCard(designExample()).card?.metadata.labels?.[MANAGED_BY_LABEL]).toBe(
      'agent-registry',
    );
  });
});

describe('summarizeDiagnostics', () => {
  const diagnostic = (severity: Diagnostic['severity'], path: string, message: string): Diagnostic => ({
    severity,
    path,
    message,
  });

  it('is empty for no diagnostics', () => {
    expect(summarizeDiagnostics([])).toBe('');
  });

  it('counts, and lists errors before warnings', () => {
    expect(
      summarizeDiagnostics([
        diagnostic('warning', 'a', 'was adjusted'),
        diagnostic('error', 'b', 'is wrong'),
        diagnostic('error', 'c', 'is also wrong'),
      ]),
    ).toBe('2 errors, 1 warning: b: is wrong; c: is also wrong; a: was adjusted');
  });

  it('stays on one line and within the byte bound, even with multi-byte text', () => {
    const many = Array.from({ length: 200 }, (_, i) => diagnostic('error', `p${i}`, `é😀 line\nbreak ${i}`));
    for (const max of [64, 200, 1024]) {
      const summary = summarizeDiagnostics(many, max);
      expect(new TextEncoder().encode(summary).length).toBeLessThanOrEqual(max);
      expect(summary).toMatch(/^200 errors: p0: /);
      expect(summary).not.toMatch(/\n/);
      expect(summary.endsWith('…')).toBe(true);
      expect(summary).not.toContain('\uFFFD');
    }
  });
});
