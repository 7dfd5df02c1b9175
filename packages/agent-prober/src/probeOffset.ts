/**
 * A stable offset in [0, interval) for a key (FNV-1a), so the probes of many cards are spread evenly over the
 * interval instead of fired in bursts, and a card keeps its place in the interval across restarts and replicas.
 */
export function probeOffset(key: string, intervalMs: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % Math.max(1, Math.floor(intervalMs));
}
