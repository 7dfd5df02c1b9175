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
                const [previous, current] = [scores[i - 1]!, scores[i]!];
                expect(previous > current || (previous === current && keys[i - 1]! < keys[i]!)).toBe(true);
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

// Every filter, on cards with labels, tags, health and signature states from small sets, so random
// queries select some cards and miss others.
const LABEL_KEYS = ['team', 'tier', 'app.kubernetes.io/part-of'];
const LABEL_VALUES = ['a', 'b', 'c'];
const SKILL_IDS = ['roll-back', 'cost', 'helm', 'logs'];

const labelsArbitrary = fc.dictionary(fc.constantFrom(...LABEL_KEYS), fc.constantFrom(...LABEL_VALUES), {
  maxKeys: 3,
});
const filteredCardArbitrary = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  name: fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta', 'eta', 'theta', 'iota', 'kappa'),
  description: phrase(3),
  health: fc.constantFrom(...HEALTH),
  verified: fc.boolean(),
  labels: labelsArbitrary,
  skills: fc.array(fc.record({ id: fc.constantFrom(...SKILL_IDS), tags: fc.array(word, { maxLength: 2 }) }), {
    maxLength: 2,
  }),
});
type FilteredCardInput = typeof filteredCardArbitrary extends fc.Arbitrary<infer T> ? T : never;

function filteredCard(input: FilteredCardInput): AgentCard {
  const skills = input.skills.filter((skill, i, all) => all.findIndex((s) => s.id === skill.id) === i);
  return {
    apiVersion: 'kagent.dev/v1alpha1',
    kind: 'AgentCard',
    metadata: { name: input.name, namespace: input.namespace, labels: input.labels },
    spec: {
      a2aVersion: '0.3.0',
      metadata: { description: input.description },
      skills: skills.map((skill) => ({
        id: skill.id,
        name: skill.id.replace('-', ' ').toUpperCase(),
        description: '',
        tags: skill.tags,
      })),
    },
    status: {
      health: input.health,
      conditions: [
        {
          type: 'SignatureVerified',
          status: input.verified ? 'True' : 'False',
          reason: input.verified ? 'Verified' : 'BadSignature',
          lastTransitionTime: '2025-01-01T00:00:00Z',
          message: '',
        },
      ],
    },
  } as AgentCard;
}

const requirementArbitrary = fc.oneof(
  fc.tuple(fc.constantFrom(...LABEL_KEYS), fc.constantFrom(...LABEL_VALUES)).map(([k, v]) => `${k}=${v}`),
  fc.tuple(fc.constantFrom(...LABEL_KEYS), fc.constantFrom(...LABEL_VALUES)).map(([k, v]) => `${k}!=${v}`),
  fc
    .tuple(fc.constantFrom(...LABEL_KEYS), fc.subarray(LABEL_VALUES, { minLength: 1 }))
    .map(([k, vs]) => `${k} in (${vs.join(',')})`),
  fc
    .tuple(fc.constantFrom(...LABEL_KEYS), fc.subarray(LABEL_VALUES, { minLength: 1 }))
    .map(([k, vs]) => `${k} notin (${vs.join(',')})`),
  fc.constantFrom(...LABEL_KEYS),
  fc.constantFrom(...LABEL_KEYS).map((k) => `!${k}`),
);
const filterQueryArbitrary = fc.record(
  {
    namespace: fc.constantFrom(...NAMESPACES),
    health: fc.constantFrom(...HEALTH),
    verified: fc.boolean(),
    // Skills by id or by name, in any case: the filter is case-insensitive.
    skill: fc.constantFrom(...SKILL_IDS, 'ROLL BACK', 'Cost', 'nope'),
    tag: fc.constantFrom(...WORDS.slice(0, 8), 'HELM'),
    labelSelector: fc.array(requirementArbitrary, { minLength: 1, maxLength: 3 }).map((r) => r.join(',')),
    q: fc.constantFrom('helm', 'cost', 'roll back', 'relase'),
    limit: fc.integer({ min: 1, max: 4 }),
  },
  { requiredKeys: ['limit'] },
);
/** One or two filters at a time, so most queries match some cards. */
const fewFiltersArbitrary = fc
  .tuple(
    filterQueryArbitrary,
    fc.subarray(['namespace', 'health', 'verified', 'skill', 'tag', 'labelSelector', 'q'] as const, {
      maxLength: 2,
    }),
  )
  .map(([query, kept]) => {
    const few: CardQuery = { limit: query.limit };
    for (const key of kept) (few as Record<string, unknown>)[key] = query[key];
    return few;
  });
const changeArbitrary = fc.oneof(
  filteredCardArbitrary.map((card) => ({ upsert: card })),
  fc
    .record({ namespace: fc.constantFrom(...NAMESPACES), name: fc.constantFrom('alpha', 'eps', 'kappa') })
    .map((card) => ({ delete: card })),
  // The trim after a bulk load: the same answers, from exact-length copies of every list.
  fc.constant({ compact: true as const }),
);

describe('the indexes against a full scan', () => {
  it('every filter (namespace, health, verified, skill, tag, label selector, q) selects what a scan selects', () => {
    fc.assert(
      fc.property(
        fc.array(filteredCardArbitrary, { maxLength: 30 }),
        fc.oneof(fewFiltersArbitrary, filterQueryArbitrary),
        fc.option(fc.subarray(NAMESPACES), { nil: undefined }),
        fc.boolean(),
        // A bulk load, or an informer's events: upserts with its cache key, or with a string that is
        // not the card's key (which the index must not take for one).
        fc.constantFrom('replaceAll', 'cacheKeys', 'otherKeys'),
        (inputs, query, visibleList, compacted, load) => {
          const index = new CardIndex();
          const cards = inputs.map(filteredCard);
          if (load === 'replaceAll') index.replaceAll(cards);
          for (const card of load === 'replaceAll' ? [] : cards) {
            const { namespace = 'default', name } = card.metadata;
            index.upsert(card, load === 'cacheKeys' ? `${namespace}/${name}` : `${name}/${namespace}`);
          }
          if (compacted) index.compact();
          const visible = visibleList === undefined ? undefined : new Set(visibleList);
          const matcher = compileQuery(query);
          const expected = index
            .all()
            .filter((card) => !visible || visible.has(card.metadata.namespace ?? 'default'))
            .filter((card) => matcher.matches(card))
            .map(keyOf);
          const { keys } = allPages(index, query, visible);
          if (matcher.ranked) expect([...keys].sort()).toEqual(expected);
          else expect(keys).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('pages across changes: ascending, no card twice, each matching when read, none that stayed missed', () => {
    fc.assert(
      fc.property(
        fc.array(filteredCardArbitrary, { maxLength: 30 }),
        fc.oneof(fewFiltersArbitrary, filterQueryArbitrary).map(({ q: _q, ...query }) => query),
        fc.array(fc.array(changeArbitrary, { maxLength: 3 }), { maxLength: 6 }),
        (inputs, query, changesBetweenPages) => {
          const index = new CardIndex();
          index.replaceAll(inputs.map(filteredCard));
          const matcher = compileQuery(query);
          const before = new Map(index.all().map((card) => [keyOf(card), card]));
          const touched = new Set<string>();
          const keys: string[] = [];
          let token: string | undefined;
          let round = 0;
          do {
            const page = index.list({ ...query, continue: token });
            for (const card of page.items) {
              expect(matcher.matches(card)).toBe(true);
              expect(index.get(card.metadata.namespace ?? 'default', card.metadata.name)).toBe(card);
            }
            keys.push(...page.items.map(keyOf));
            token = page.continue;
            for (const change of changesBetweenPages[round++] ?? []) {
              if ('compact' in change) {
                index.compact();
              } else if ('upsert' in change) {
                const card = filteredCard(change.upsert);
                touched.add(keyOf(card));
                index.upsert(card);
              } else {
                touched.add(`${change.delete.namespace}/${change.delete.name}`);
                index.delete(change.delete.namespace, change.delete.name);
              }
            }
          } while (token);
          for (let i = 1; i < keys.length; i++) expect(keys[i - 1]! < keys[i]!).toBe(true);
          // A card no change touched, matching from the start, is never skipped.
          for (const [key, card] of before) {
            if (!touched.has(key) && matcher.matches(card)) expect(keys).toContain(key);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
