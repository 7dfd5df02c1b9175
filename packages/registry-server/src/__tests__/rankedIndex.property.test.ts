import type { AgentCard, Health } from '@agent-registry/crds';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CardIndex } from '../store/cardIndex.js';
import { compileQuery, keyOf } from '../store/cardMatcher.js';
import type { CardQuery } from '../store/types.js';

// A small vocabulary, so random queries hit random cards often; with inflections, typos and word starts.
// prettier-ignore
const WORDS = [
  // clusters of near misses: one or two edits apart, prefixes, transpositions, inflections
  'cost', 'costs', 'cert', 'coat', 'cst', 'certificate', 'certifcate',
  'helm', 'help', 'hel', 'helmet',
  'ab', 'abc', 'abcd', 'abdc', 'bacd',
  'release', 'releases', 'relase', 'rollback', 'roll', 'rol',
  'kube', 'kubernetes', 'kubernets', 'kubectl',
  'log', 'logs', 'logging', 'blog',
  'namespace', 'namespaces', 'nam', 'promethues', 'prometheus',
  // stop words, short tokens, digits, non-ASCII
  'the', 'of', 'a', 'who', 'can', 'k8s', 'x', 'p99', 'ünïcode', 'déjà',
];
const NAMESPACES = ['team-a', 'team-b', 'team-c'];
const HEALTH: Health[] = ['Healthy', 'Unhealthy', 'Unknown'];

const word = fc.constantFrom(...WORDS);
const phrase = (max: number) =>
  fc.array(word, { minLength: 0, maxLength: max }).map((words) => words.join(' '));
const punctuated = fc
  .tuple(phrase(2), fc.constantFrom('', ' ', '-', '!', ', ', '/'), phrase(1))
  .map(([a, sep, b]) => `${a}${sep}${b}`);

const cardArbitrary = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/),
  displayName: phrase(1),
  description: phrase(4),
  health: fc.constantFrom(...HEALTH),
  skills: fc.array(
    fc.record({
      id: fc.stringMatching(/^[a-z]{1,8}$/),
      name: phrase(2),
      description: phrase(4),
      tags: fc.array(word, { maxLength: 2 }),
    }),
    { maxLength: 3 },
  ),
});

type CardInput = typeof cardArbitrary extends fc.Arbitrary<infer T> ? T : never;

function toCard(input: CardInput): AgentCard {
  return {
    apiVersion: 'kagent.dev/v1alpha1',
    kind: 'AgentCard',
    metadata: { name: input.name, namespace: input.namespace },
    spec: {
      a2aVersion: '0.3.0',
      publicCard: { name: input.displayName },
      metadata: { description: input.description },
      skills: input.skills.map((skill) => ({ ...skill, name: skill.name || skill.id })),
    },
    status: { health: input.health },
  } as AgentCard;
}

const queryArbitrary = fc.record(
  {
    q: punctuated,
    namespace: fc.constantFrom(...NAMESPACES),
    health: fc.constantFrom(...HEALTH),
    tag: word,
    limit: fc.integer({ min: 1, max: 7 }),
  },
  { requiredKeys: ['q', 'limit'] },
);

/** Every page of a query, following continue tokens. */
function allPages(index: CardIndex, query: CardQuery, visibleNamespaces?: ReadonlySet<string>) {
  const keys: string[] = [];
  const scores: number[] = [];
  let token: string | undefined;
  do {
    const page = index.list({ ...query, continue: token }, { visibleNamespaces });
    keys.push(...page.items.map(keyOf));
    scores.push(...(page.scores ?? []));
    token = page.continue;
  } while (token);
  return { keys, scores };
}

describe('the ranked index against a full scan', () => {
  it('selects exactly the cards a scan with the same query matches, across pages, in ranked order', () => {
    fc.assert(
      fc.property(
        fc.array(cardArbitrary, { maxLength: 25 }),
        fc.array(cardArbitrary, { maxLength: 5 }),
        queryArbitrary,
        fc.option(fc.subarray(NAMESPACES), { nil: undefined }),
        (initial, changes, query, visibleList) => {
          const index = new CardIndex();
          for (const card of initial) index.upsert(toCard(card));
          // Live updates: replace some cards and delete one, so the text index must follow the store.
          for (const card of changes) index.upsert(toCard(card));
          const victim = index.all()[0];
          if (victim) index.delete(victim.metadata.namespace ?? 'default', victim.metadata.name);

          const visible = visibleList === undefined ? undefined : new Set(visibleList);
          const check = () => {
            const matcher = compileQuery(query);
            const expected = index
              .all()
              .filter((card) => !visible || visible.has(card.metadata.namespace ?? 'default'))
              .filter((card) => matcher.matches(card))
              .map(keyOf)
              .sort();

            const { keys, scores } = allPages(index, query, visible);
            expect([...keys].sort()).toEqual(expected);
            expect(new Set(keys).size).toBe(keys.length);
            if (matcher.ranked) {
              expect(scores).toHaveLength(keys.length);
              for (let i = 1; i < keys.length; i++) {
                const [previous, current] = [scores[i - 1] as number, scores[i] as number];
                expect(
                  previous > current ||
                    (previous === current && (keys[i - 1] as string) < (keys[i] as string)),
                ).toBe(true);
              }
              // Paging changes nothing: one big page has the same order.
              expect(
                index.list({ ...query, limit: 1000 }, { visibleNamespaces: visible }).items.map(keyOf),
              ).toEqual(keys);
            } else {
              expect(keys).toEqual(expected);
            }
          };
          check();
          // A change of status only keeps the text index and cached rankings; the health filter follows.
          const probed = index.all()[0];
          if (probed) {
            const health = probed.status?.health === 'Healthy' ? 'Unhealthy' : 'Healthy';
            index.upsert({ ...probed, status: { ...probed.status, health } });
            check();
          }
          // A change of text after a ranked read: cached rankings must not outlive it.
          const [again] = changes;
          if (again) {
            index.upsert(toCard({ ...again, description: `${again.description} ${query.q}` }));
            check();
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
