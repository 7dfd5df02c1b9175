import { describe, expect, it } from 'vitest';
import type { AgentCard } from '@agent-registry/crds';
import { cardSkillsOf, cardDescriptionOf, cardDisplayNameOf } from '@agent-registry/a2a-translator';
import { fieldsOf } from '../store/cardFields.js';
import { parseManifestFile, parseManifestFileToJson } from '../store/manifestFile.js';
import { StringPool } from '../store/stringPool.js';

const agentCard = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'kagent.dev/v1alpha1',
  kind: 'AgentCard',
  metadata: { name, namespace: 'team-a', labels: { 'app.kubernetes.io/managed-by': 'agent-registry' } },
  spec: {
    a2aVersion: '0.3.0',
    endpoints: [`http://${name}.team-a.svc:8080`],
    metadata: { description: `Agent ${name}.`, 'provider.url': 'https://bench.example.com' },
    skills: [
      { id: 'summarize-logs', name: 'summarize logs', description: 'Summarizes logs.', tags: ['ops'] },
    ],
    ...extra,
  },
  status: { health: 'Healthy', conditions: [{ type: 'Ready', status: 'True', reason: 'ProbeSucceeded' }] },
});

describe('a parsing thread answers with the result as JSON text', () => {
  const files: [string, string][] = [
    [
      'list.json',
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [agentCard('a'), agentCard('b'), { kind: 'Nope' }],
      }),
    ],
    ['one.json', JSON.stringify(agentCard('c'))],
    ['bad.json', '{"apiVersion": '],
    [
      'docs.yaml',
      `${JSON.stringify(agentCard('d'))}\n---\n${JSON.stringify(agentCard('e', { skills: [] }))}\n---\nkind: [`,
    ],
  ];
  it.each(files)(
    '%s: the text is the result parseManifestFile returns, each card serialized once',
    (file, text) => {
      const json = parseManifestFileToJson(file, text);
      expect(JSON.parse(json)).toEqual(parseManifestFile(file, text));
      expect(json).toBe(JSON.stringify(parseManifestFile(file, text)));
    },
  );
});

describe('StringPool', () => {
  it('leaves every value equal and makes equal strings of different cards one entry', () => {
    const cards = [agentCard('first-agent'), agentCard('second-agent')].map(
      (card) => JSON.parse(JSON.stringify(card)) as Record<string, unknown>,
    );
    const before = JSON.stringify(cards);
    const pool = new StringPool(3);
    for (const card of cards) pool.internAll(card);
    expect(JSON.stringify(cards)).toBe(before);
    // Bounded: only the first three distinct strings of 11+ characters are pooled.
    expect((pool as unknown as { strings: Map<string, string> }).strings.size).toBe(3);
    expect(pool.string('kagent.dev/v1alpha1')).toBe('kagent.dev/v1alpha1');
  });
});

describe('cardFields: the card view, worked out afresh', () => {
  it('returns what the translator says of the card, call after call, keeping nothing', () => {
    const card = JSON.parse(
      JSON.stringify(agentCard('viewed', { skills: undefined, capabilities: ['Query SQL'] })),
    ) as AgentCard;
    const view = JSON.parse(JSON.stringify(card)) as AgentCard;
    const expected = cardSkillsOf(view);
    expect(expected.length).toBeGreaterThan(0);
    expect(fieldsOf(card).skills).toEqual(expected);
    expect(fieldsOf(card)).toEqual(fieldsOf(card));
    expect(fieldsOf(card).skills).not.toBe(fieldsOf(card).skills);
    expect(fieldsOf(card).description).toBe(cardDescriptionOf(view));
    const name = cardDisplayNameOf(view);
    expect(fieldsOf(card).displayName).toBe(name === 'viewed' ? '' : name);
  });
});
