import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CardSearch, type SearchDocument } from '../store/cardSearch.js';
import { queryTermsOf, type QueryTerm } from '../store/searchTerms.js';
import { compareScored, type ScoredKey } from '../store/topResults.js';

// Words in (nearly) every document, so the common query terms are the kind a page can skip, beside
// rarer words, inflections, word starts and typos.
// prettier-ignore
const COMMON = ['agent', 'team', 'bench'];
// prettier-ignore
const RARE = [
  'rollback', 'roll', 'release', 'releases', 'relase', 'helm', 'help', 'cost', 'costs', 'cert',
  'logs', 'logging', 'kube', 'kubernetes', 'kubernets', 'namespace', 'namespaces', '4242', '4243', '07',
];

const words = (pool: readonly string[], max: number) =>
  fc.array(fc.constantFrom(...pool), { maxLength: max }).map((list) => list.join(' '));

const documentArbitrary = fc.record({
  name: fc.tuple(fc.constantFrom('agent'), words(RARE, 2)).map((parts) => parts.join(' ')),
  skills: words(RARE, 3),
  tags: words([...RARE, ...COMMON], 2),
  description: fc.tuple(words(COMMON, 3), words(RARE, 4)).map((parts) => parts.join(' ')),
});

const queryArbitrary = fc
  .tuple(words(COMMON, 2), words(RARE, 2), fc.boolean())
  .map(([common, rare, commonFirst]) => (commonFirst ? `${common} ${rare}` : `${rare} ${common}`));

/** A filter keeping some cards by the number ending their key (none when the modulus is 0). */
const filterOf = (modulus: number): ((key: string) => boolean) | undefined =>
  modulus === 0 ? undefined : (key: string) => Number(key.slice(-3)) % (modulus + 1) !== 0;

/** `search`'s first page of `terms` with `accept`, and the page after it, are the full ranking's (`all`). */
function expectPages(
  search: CardSearch,
  terms: QueryTerm[],
  capacity: number,
  accept: ((key: string) => boolean) | undefined,
  all: readonly ScoredKey[],
): void {
  const accepted = accept ? all.filter((result) => accept(result.key)) : all;
  expect(search.top(terms, capacity, { accept })).toEqual(accepted.slice(0, capacity));
  const after = accepted[capacity - 1];
  if (after) {
    expect(search.top(terms, capacity, { accept, after })).toEqual(accepted.slice(capacity, capacity * 2));
  }
}

describe('CardSearch.top against every match ranked', () => {
  it('gives the first page, later pages and filtered pages of a full ranking, score for score', () => {
    fc.assert(
      fc.property(
        fc.array(documentArbitrary, { minLength: 1, maxLength: 120 }),
        queryArbitrary,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 3 }),
        (documents, q, capacity, filterModulus) => {
          const search = new CardSearch();
          const ids = documents.map((fields, index) => {
            const document: SearchDocument = { id: `ns/card-${String(index).padStart(3, '0')}`, ...fields };
            search.add(document);
            return document.id;
          });
          // Removals leave free ids and changed statistics behind.
          for (const [index, fields] of documents.entries()) {
            if (index % 7 === 3) search.remove({ id: ids[index]!, ...fields });
          }
          const terms = queryTermsOf(q);
          const all = search.search(terms);
          for (let i = 1; i < all.length; i++) expect(compareScored(all[i - 1]!, all[i]!)).toBeLessThan(0);

          expect(search.top(terms, capacity)).toEqual(all.slice(0, capacity));
          // Compacting the postings (after a bulk load) changes no answer.
          search.compact();
          expect(search.search(terms)).toEqual(all);

          expectPages(search, terms, capacity, filterOf(filterModulus), all);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('gives the same pages when lists are read by impact group, card by card or from kept contributions, also after they change', () => {
    fc.assert(
      fc.property(
        fc.array(documentArbitrary, { minLength: 1, maxLength: 120 }),
        fc.array(fc.oneof(queryArbitrary, fc.constantFrom(...COMMON, ...RARE, 'rol', 'kub', 'releas')), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 2, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 40 }),
        (
          documents,
          queries,
          capacity,
          filterModulus,
          impactListMin,
          baseCacheMin,
          baseCachePostings,
          walkListMin,
        ) => {
          // The same cards in an index grouping lists by impact from a few postings on, however
          // varied (so first pages of one long query term are read in impact order), keeping the
          // contributions of short lists in a small cache (so some are evicted), reading queries of
          // a few lists card by card, and in one that does none of it, built afresh for each check
          // by the same changes in the same order (the full ranking's, with nothing remembered from
          // earlier searches).
          const search = new CardSearch({
            impactListMin,
            impactGroupMin: 1,
            baseCacheMin,
            baseCachePostings,
            mergeMin: 1,
            walkListMin,
          });
          const indexed = documents.map((fields, index) => ({
            id: `ns/card-${String(index).padStart(3, '0')}`,
            ...fields,
          }));
          const changes: ['add' | 'remove', SearchDocument][] = [];
          const apply = (change: 'add' | 'remove', document: SearchDocument): void => {
            search[change](document);
            changes.push([change, document]);
          };
          for (const document of indexed) apply('add', document);
          const accept = filterOf(filterModulus);
          const check = (): void => {
            const reference = new CardSearch({
              impactListMin: Infinity,
              baseCacheMin: Infinity,
              mergeMin: 1,
              walkListMin: Infinity,
            });
            for (const [change, document] of changes) reference[change](document);
            for (const q of queries) {
              const terms = queryTermsOf(q);
              const all = reference.search(terms);
              expect(search.top(terms, capacity)).toEqual(all.slice(0, capacity));
              expectPages(search, terms, capacity, accept, all);
            }
          };
          check();
          // Changes to lists whose groups were built by the searches above: removals, and cards
          // added back (into free ids, so inside the lists, not only at their ends).
          for (const [index, document] of indexed.entries()) {
            if (index % 5 !== 1) continue;
            apply('remove', document);
          }
          check();
          for (const [index, document] of indexed.entries()) {
            if (index % 10 !== 1) continue;
            apply('add', document);
          }
          check();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('scores index terms holding the same postings as one, as each scored alone would to rounding', () => {
    fc.assert(
      fc.property(
        fc.array(documentArbitrary, { minLength: 1, maxLength: 80 }),
        fc.oneof(queryArbitrary, fc.constantFrom(...RARE, 'rol', 'kub', 'releas')),
        (documents, q) => {
          // "logs" and its stem "log" hold the same cards unless a card says "logging": merged only then.
          const merged = new CardSearch({ mergeMin: 1 });
          const alone = new CardSearch({ mergeMin: Infinity });
          documents.forEach((fields, index) => {
            const document = { id: `ns/card-${String(index).padStart(3, '0')}`, ...fields };
            merged.add(document);
            alone.add(document);
          });
          const terms = queryTermsOf(q);
          const expected = new Map(alone.search(terms).map(({ key, score }) => [key, score]));
          const actual = merged.search(terms);
          expect(actual.map(({ key }) => key).sort()).toEqual([...expected.keys()].sort());
          for (const { key, score } of actual) {
            expect(Math.abs(score - expected.get(key)!)).toBeLessThanOrEqual(score * 1e-12);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('scores apart lists alike in size, first card and statistics that differ after it', () => {
    // "logs" and "logging" are each held by two cards, the first the same: the word start "log"
    // matches both, and merging them would give the second cards each other's weight.
    const documents = [
      { id: 'ns/a', name: 'agent', skills: '', tags: '', description: 'logs logging' },
      { id: 'ns/b', name: 'agent', skills: '', tags: '', description: 'logs' },
      { id: 'ns/c', name: 'agent', skills: '', tags: '', description: 'logging' },
      { id: 'ns/d', name: 'agent', skills: '', tags: '', description: 'help' },
    ];
    const merged = new CardSearch({ mergeMin: 1 });
    const alone = new CardSearch({ mergeMin: Infinity });
    for (const document of documents) {
      merged.add(document);
      alone.add(document);
    }
    const terms = queryTermsOf('log');
    const expected = alone.search(terms);
    expect(expected.map(({ key }) => key).sort()).toEqual(['ns/a', 'ns/b', 'ns/c']);
    const actual = new Map(merged.search(terms).map(({ key, score }) => [key, score]));
    for (const { key, score } of expected) expect(actual.get(key)).toBeCloseTo(score, 12);
  });

  it('gives the pages of a full ranking when a query of common words is walked card by card', () => {
    // Four words, each in about half of several hundred cards: the page soon holds only cards with
    // both words of a query, and the rest of the walk meets just those (walkCardsHoldingAll).
    const vocabulary = ['alpha', 'beta', 'gamma', 'delta'];
    const fieldText = fc
      .array(fc.constantFrom(...vocabulary, 'filler', 'more', 'words'), { maxLength: 6 })
      .map((list) => list.join(' '));
    fc.assert(
      fc.property(
        fc.array(fc.record({ name: fieldText, skills: fieldText, tags: fieldText, description: fieldText }), {
          minLength: 50,
          maxLength: 400,
        }),
        fc.constantFrom(...vocabulary),
        fc.constantFrom(...vocabulary),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 2 }),
        (documents, first, second, capacity, filterModulus) => {
          const search = new CardSearch({ walkListMin: 1, impactListMin: Infinity });
          const reference = new CardSearch({ walkListMin: Infinity, impactListMin: Infinity });
          documents.forEach((fields, index) => {
            const document = { id: `ns/card-${String(index).padStart(3, '0')}`, ...fields };
            search.add(document);
            reference.add(document);
          });
          const terms = queryTermsOf(`${first} ${second}`);
          expectPages(search, terms, capacity, filterOf(filterModulus), reference.search(terms));
        },
      ),
      { numRuns: 200 },
    );
  });
});
