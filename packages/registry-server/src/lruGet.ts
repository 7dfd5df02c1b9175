/**
 * `map.get(key)`, the entry then made the most recently used: a Map iterates in insertion order, so a
 * cache that evicts its first entry evicts the least recently used one.
 */
export function lruGet<K, V>(map: Map<K, V>, key: K): V | undefined {
  const value = map.get(key);
  if (value !== undefined) {
    map.delete(key);
    map.set(key, value);
  }
  return value;
}
