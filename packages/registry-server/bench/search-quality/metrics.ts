/** Ranking quality of one query's result list against graded judgments (grade 0 = not relevant). */
export interface QueryScores {
  ndcg10: number;
  reciprocalRank: number;
  recall10: number;
}

const gain = (grade: number): number => 2 ** grade - 1;
const discount = (rank: number): number => 1 / Math.log2(rank + 2);

/** NDCG@10 (exponential gain), reciprocal rank of the first relevant result, and recall in the top 10. */
export function scoreRanking(
  ranked: readonly string[],
  relevant: Readonly<Record<string, number>>,
): QueryScores {
  const top = ranked.slice(0, 10);
  const dcg = top.reduce((sum, key, rank) => sum + gain(relevant[key] ?? 0) * discount(rank), 0);
  const ideal = Object.values(relevant)
    .sort((a, b) => b - a)
    .slice(0, 10)
    .reduce((sum, grade, rank) => sum + gain(grade) * discount(rank), 0);
  const firstRelevant = ranked.findIndex((key) => (relevant[key] ?? 0) > 0);
  const relevantKeys = Object.keys(relevant).filter((key) => (relevant[key] ?? 0) > 0);
  const found = relevantKeys.filter((key) => top.includes(key)).length;
  return {
    ndcg10: ideal === 0 ? 0 : dcg / ideal,
    reciprocalRank: firstRelevant < 0 ? 0 : 1 / (firstRelevant + 1),
    recall10: relevantKeys.length === 0 ? 0 : found / relevantKeys.length,
  };
}

export function meanScores(all: readonly QueryScores[]): QueryScores {
  const mean = (pick: (scores: QueryScores) => number) =>
    all.reduce((sum, scores) => sum + pick(scores), 0) / Math.max(1, all.length);
  return {
    ndcg10: mean((s) => s.ndcg10),
    reciprocalRank: mean((s) => s.reciprocalRank),
    recall10: mean((s) => s.recall10),
  };
}
