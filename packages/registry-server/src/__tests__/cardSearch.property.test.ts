import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CardSearch, type SearchDocument } from '../store/cardSearch.js';
import { queryTermsOf } from '../store/searchTerms.js';
import { compareScored } from '../store/topResults.js';

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

          const accept =
            filterModulus === 0
              ? undefined
              : (key: string) => Number(key.slice(-3)) % (filterModulus + 1) !== 0;
          const accepted = accept ? all.filter((result) => accept(result.key)) : all;
          expect(search.top(terms, capacity, { accept })).toEqual(accepted.slice(0, capacity));

          const after = accepted[capacity - 1];
          if (after) {
            expect(search.top(terms, capacity, { accept, after })).toEqual(
              accepted.slice(capacity, capacity * 2),
            );
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('gives the same first pages when long lists are read by impact group, also after they change', () => {
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
        (documents, queries, capacity, filterModulus, impactListMin) => {
          // The same cards in an index grouping lists by impact from a few postings on, however
          // varied (so first pages of one long query term are read in impact order), and in one
          // that never does (the full ranking's).
          const search = new CardSearch({ impactListMin, impactGroupMin: 1 });
          const reference = new CardSearch({ impactListMin: Infinity });
          const indexed = documents.map((fields, index) => ({
            id: `ns/card-${String(index).padStart(3, '0')}`,
            ...fields,
          }));
          for (const document of indexed) {
            search.add(document);
            reference.add(document);
          }
          const accept =
            filterModulus === 0
              ? undefined
              : (key: string) => Number(key.slice(-3)) % (filterModulus + 1) !== 0;
          const check = (): void => {
            for (const q of queries) {
              const terms = queryTermsOf(q);
              const all = reference.search(terms);
              expect(search.top(terms, capacity)).toEqual(all.slice(0, capacity));
              const accepted = accept ? all.filter((result) => accept(result.key)) : all;
              expect(search.top(terms, capacity, { accept })).toEqual(accepted.slice(0, capacity));
            }
          };
          check();
          // Changes to lists whose groups were built by the searches above: removals, and cards
          // added back (into free ids, so inside the lists, not only at their ends).
          for (const [index, document] of indexed.entries()) {
            if (index % 5 !== 1) continue;
            search.remove(document);
            reference.remove(document);
          }
          check();
          for (const [index, document] of indexed.entries()) {
            if (index % 10 !== 1) continue;
            search.add(document);
            reference.add(document);
          }
          check();
        },
      ),
      { numRuns: 300 },
    );
  });
});
