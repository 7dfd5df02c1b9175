/**
 * Sorted arrays of card keys (`namespace/name`), the index's one shape of a key set: 8 bytes a key
 * (a Set costs three to four times that), in the order pages are served, so a page is a slice from
 * a binary search and a membership test is a binary search. Inserting in key order (a bulk load,
 * which sorts first) appends.
 */

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Index of the first key not less than `key`. */
export function lowerBound(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid]! < key) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Index of the first key greater than `after`. */
export function firstAfter(keys: readonly string[], after: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keys[mid]! <= after) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function hasKey(keys: readonly string[] | undefined, key: string): boolean {
  if (!keys) return false;
  return keys[lowerBound(keys, key)] === key;
}

/** Adds `key` in order (no duplicates); returns false when it was there. */
export function insertKey(keys: string[], key: string): boolean {
  const last = keys[keys.length - 1];
  if (last === undefined || last < key) {
    keys.push(key);
    return true;
  }
  const at = lowerBound(keys, key);
  if (keys[at] === key) return false;
  keys.splice(at, 0, key);
  return true;
}

/** Removes `key`; returns false when it was not there. */
export function removeKey(keys: string[], key: string): boolean {
  const at = lowerBound(keys, key);
  if (keys[at] !== key) return false;
  keys.splice(at, 1);
  return true;
}

/** The sorted union of sorted key lists. */
export function unionOf(lists: readonly (readonly string[])[]): string[] {
  if (lists.length === 1) return [...lists[0]!];
  const all: string[] = [];
  for (const list of lists) for (const key of list) all.push(key);
  all.sort(compare);
  return all.filter((key, i) => i === 0 || key !== all[i - 1]);
}

/** Card keys by one indexed value (a namespace, a skill, a label value...). */
export class ValueIndex {
  private readonly lists = new Map<string, string[]>();

  get(value: string): readonly string[] | undefined {
    return this.lists.get(value);
  }

  values(): IterableIterator<string> {
    return this.lists.keys();
  }

  add(value: string, key: string): void {
    let keys = this.lists.get(value);
    if (!keys) this.lists.set(value, (keys = []));
    insertKey(keys, key);
  }

  remove(value: string, key: string): void {
    const keys = this.lists.get(value);
    if (!keys) return;
    removeKey(keys, key);
    if (keys.length === 0) this.lists.delete(value);
  }

  count(value: string): number {
    return this.lists.get(value)?.length ?? 0;
  }

  /** Each list at its exact length (see CardIndex.compact). */
  compact(): void {
    for (const [value, keys] of this.lists) this.lists.set(value, keys.slice());
  }
}
