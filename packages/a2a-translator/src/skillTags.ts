/** At most this many derived tags: enough to search by, few enough to read. */
const MAX_DERIVED_TAGS = 5;

const words = (text: string): string[] =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');

/**
 * Tags for a skill that has none (A2A 1.0 requires at least one): the distinct words of its name,
 * else of its id, else the id itself. `"Query SQL databases"` → `["query", "sql", "databases"]`.
 */
export function deriveSkillTags(id: string, name: string): string[] {
  const fromName = [...new Set(words(name))];
  const derived = fromName.length > 0 ? fromName : [...new Set(words(id))];
  return derived.length > 0 ? derived.slice(0, MAX_DERIVED_TAGS) : [id];
}
