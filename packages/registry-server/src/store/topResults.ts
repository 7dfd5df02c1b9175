/** A card key with its relevance to a query. */
export interface ScoredKey {
  key: string;
  score: number;
}

/** Ranked order: higher score first, equal scores by key (namespace/name). */
export const compareScored = (a: ScoredKey, b: ScoredKey): number =>
  b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * The first `capacity` values in the order of `compare`, from values offered one by one: a binary
 * heap whose root is the last kept, so keeping the best k of n costs O(n · log k), not a sort of all.
 */
export class BestOf<T> {
  private readonly heap: T[] = [];
  constructor(
    private readonly capacity: number,
    private readonly compare: (a: T, b: T) => number,
  ) {}

  /** The last value kept once full (undefined before): a value ordered after it is not kept. */
  get last(): T | undefined {
    return this.heap.length < this.capacity ? undefined : this.heap[0];
  }

  offer(value: T): void {
    const { heap, compare } = this;
    if (heap.length < this.capacity) {
      heap.push(value);
      let at = heap.length - 1;
      while (at > 0) {
        const parent = (at - 1) >>> 1;
        if (compare(heap[at]!, heap[parent]!) <= 0) break;
        [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
        at = parent;
      }
      return;
    }
    if (compare(value, heap[0]!) >= 0) return;
    heap[0] = value;
    let at = 0;
    for (;;) {
      const left = at * 2 + 1;
      const right = left + 1;
      let lastOf = at;
      if (left < heap.length && compare(heap[left]!, heap[lastOf]!) > 0) lastOf = left;
      if (right < heap.length && compare(heap[right]!, heap[lastOf]!) > 0) lastOf = right;
      if (lastOf === at) break;
      [heap[at], heap[lastOf]] = [heap[lastOf]!, heap[at]!];
      at = lastOf;
    }
  }

  sorted(): T[] {
    return [...this.heap].sort(this.compare);
  }
}

/** The best `capacity` results by ranked order (compareScored). */
export class TopResults extends BestOf<ScoredKey> {
  constructor(capacity: number) {
    super(capacity, compareScored);
  }

  /** Scores below this cannot be kept (equal ones may, by key): the worst kept once full. */
  get floor(): number {
    return this.last?.score ?? -Infinity;
  }
}

const descending = (a: number, b: number): number => b - a;

/** The `k`-th largest of numbers offered one by one (-Infinity until `k` were offered). */
export class KthLargest extends BestOf<number> {
  constructor(k: number) {
    super(k, descending);
  }

  get value(): number {
    return this.last ?? -Infinity;
  }

  /** Whether `value` would change what is kept (cheap test before a costlier check of the offer). */
  wouldKeep(value: number): boolean {
    const last = this.last;
    return last === undefined || value > last;
  }
}
