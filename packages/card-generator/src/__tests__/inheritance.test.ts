import { describe, expect, it } from 'vitest';
import {
  generateAgentCard,
  inheritedLabels,
  MANAGED_BY_LABEL,
  needsUpdate,
  reportedHealth,
} from '../index.js';

const a2aAgent = (labels: Record<string, unknown> | undefined, status?: unknown) => ({
  apiVersion: 'a2a.io/v1',
  kind: 'Agent',
  metadata: { name: 'release-manager', namespace: 'team-platform', ...(labels ? { labels } : {}) },
  spec: { url: 'https://release-manager.example.com/a2a', description: 'Cuts releases' },
  ...(status === undefined ? {} : { status }),
});

describe('what a card inherits from its agent (one policy for the controller and the embedded store)', () => {
  it("gives the generated card the agent's labels, the managed-by label winning", () => {
    const { card } = generateAgentCard(
      a2aAgent({ team: 'platform', tier: 'gold', [MANAGED_BY_LABEL]: 'helm' }),
      { managedBy: 'agent-registry' },
    );
    expect(card?.metadata.labels).toEqual({
      team: 'platform',
      tier: 'gold',
      [MANAGED_BY_LABEL]: 'agent-registry',
    });
  });

  it('keeps only string label values, and only the managed-by label of an agent without labels', () => {
    expect(inheritedLabels(a2aAgent({ team: 'x', count: 3, nested: { a: 1 } }), 'me')).toEqual({
      team: 'x',
      [MANAGED_BY_LABEL]: 'me',
    });
    expect(inheritedLabels(a2aAgent(undefined), 'me')).toEqual({ [MANAGED_BY_LABEL]: 'me' });
    expect(inheritedLabels('not an agent', 'me')).toEqual({ [MANAGED_BY_LABEL]: 'me' });
  });

  it('reads the health an agent reports, and nothing else', () => {
    expect(reportedHealth(a2aAgent(undefined, { health: 'Healthy' }))).toBe('Healthy');
    expect(reportedHealth(a2aAgent(undefined, { health: 'Sick' }))).toBeUndefined();
    expect(reportedHealth(a2aAgent(undefined))).toBeUndefined();
    expect(reportedHealth(null)).toBeUndefined();
  });

  it('does not change the content hash when only labels change (a relabel is not a new card)', () => {
    const one = generateAgentCard(a2aAgent({ team: 'a' })).card;
    const other = generateAgentCard(a2aAgent({ team: 'b' })).card;
    expect(one?.spec.contentHash).toBe(other?.spec.contentHash);
    expect(one?.metadata.labels).not.toEqual(other?.metadata.labels);
  });
});

describe('needsUpdate and inherited labels', () => {
  it('is true when the agent gained or changed a label, false when others added one', () => {
    const stored = generateAgentCard(a2aAgent({ team: 'a' })).card!;
    expect(needsUpdate(stored, generateAgentCard(a2aAgent({ team: 'a' })).card!)).toBe(false);
    expect(needsUpdate(stored, generateAgentCard(a2aAgent({ team: 'b' })).card!)).toBe(true);
    expect(needsUpdate(stored, generateAgentCard(a2aAgent({ team: 'a', tier: 'gold' })).card!)).toBe(true);
    const relabelled = structuredClone(stored);
    relabelled.metadata.labels = { ...relabelled.metadata.labels, 'example.com/by-hand': 'x' };
    expect(needsUpdate(relabelled, generateAgentCard(a2aAgent({ team: 'a' })).card!)).toBe(false);
  });
});
