/**
 * Search quality: NDCG@10, MRR and Recall@10 of the ranked `q` against the substring filter it
 * replaced, over bench/search-quality (agents.yaml, queries.yaml with graded judgments), in one run.
 * `--verbose` prints each query's top results. Exits 1 when the ranked NDCG@10 is under the target.
 */
import type { AgentCard } from '@agent-registry/crds';
import MiniSearch from 'minisearch';
import { searchDocumentOf, type SearchDocument } from '../src/store/cardSearch.js';
import { CardIndex } from '../src/store/cardIndex.js';
import { fieldsOf, keyOf } from '../src/store/cardFields.js';
import { cardOf, loadDataset } from './search-quality/dataset.js';
import { meanScores, scoreRanking, type QueryScores } from './search-quality/metrics.js';

const TARGET_NDCG10 = 0.8;

/** The `q` filter before ranking: a case-insensitive substring of name, descriptions, skill names and display name, in namespace/name order. */
function substringSearch(cards: readonly AgentCard[], q: string): string[] {
  const needle = q.trim().toLowerCase();
  return cards
    .filter((card) => {
      const { description, displayName, skills } = fieldsOf(card);
      const parts = [card.metadata.name, description];
      for (const skill of skills) parts.push(skill.name, skill.description ?? '');
      parts.push(displayName);
      return parts.join('\n').toLowerCase().includes(needle);
    })
    .map(keyOf)
    .sort();
}

/** For comparison: MiniSearch with its defaults (BM25, no stemming, stop words, prefix, typos or field weights). */
function plainMiniSearch(cards: readonly AgentCard[]): (q: string) => string[] {
  const engine = new MiniSearch<SearchDocument>({ fields: ['name', 'skills', 'tags', 'description'] });
  engine.addAll(cards.map((card) => searchDocumentOf(keyOf(card), card)));
  return (q) => engine.search(q).map((result) => result.id as string);
}

const verbose = process.argv.includes('--verbose');
const { agents, queries } = await loadDataset();
const index = new CardIndex();
for (const agent of agents) index.upsert(cardOf(agent));
const cards = index.all();

const plain = plainMiniSearch(cards);
const ranked: QueryScores[] = [];
const plainScores: QueryScores[] = [];
const substring: QueryScores[] = [];
for (const query of queries) {
  const keys = index.list({ q: query.q, limit: 10 }).items.map(keyOf);
  const scores = scoreRanking(keys, query.relevant);
  ranked.push(scores);
  substring.push(scoreRanking(substringSearch(cards, query.q), query.relevant));
  plainScores.push(scoreRanking(plain(query.q), query.relevant));
  if (verbose) {
    const mark = (key: string) => `${key}${query.relevant[key] ? `(${query.relevant[key]})` : ''}`;
    console.log(`${scores.ndcg10.toFixed(2)}  ${query.q}\n      ${keys.slice(0, 5).map(mark).join('  ')}`);
  }
}

const rows = [
  ['ranked (q=)', meanScores(ranked)],
  ['substring (before)', meanScores(substring)],
  ['MiniSearch defaults', meanScores(plainScores)],
] as const;
console.log(`search quality: ${agents.length} agents, ${queries.length} queries`);
console.log('engine               NDCG@10    MRR  Recall@10');
for (const [name, scores] of rows) {
  console.log(
    `${name.padEnd(20)} ${scores.ndcg10.toFixed(3).padStart(7)} ${scores.reciprocalRank.toFixed(3).padStart(6)} ${scores.recall10.toFixed(3).padStart(10)}`,
  );
}
const achieved = rows[0][1].ndcg10;
console.log(`target NDCG@10 >= ${TARGET_NDCG10}: ${achieved >= TARGET_NDCG10 ? 'met' : 'NOT met'}`);
if (achieved < TARGET_NDCG10) process.exitCode = 1;
