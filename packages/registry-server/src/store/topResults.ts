/** A card key with its relevance to a query. */
export interface ScoredKey {
  key: string;
  score: number;
}

/** Ranked order: higher score first, equal scores by key (namespace/name). */
export const compareScored = (a: ScoredKey, b: ScoredKey): number =>
  b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * The best `capacity` results by ranked order (compareScored), from results offered one by one: a
 * binary heap whose root is the worst kept, so a page of a broad query costs O(matches · log k),
 * not a sort of every match.
 */
export class TopResults {
  private readonly heap: ScoredKey[] = [];
  constructor(private readonly capacity: number) {}

  /** Scores below this cannot be kept (equal ones may, by key): the worst kept once full. */
  get floor(): number {
    return this.heap.length < this.capacity ? -Infinity : this.heap[0]!.score;
  }

  offer(result: ScoredKey): void {
    const heap = this.heap;
    if (heap.length < this.capacity) {
      heap.push(result);
      let at = heap.length - 1;
      while (at > 0) {
        const parent = (at - 1) >>> 1;
        if (compareScored(heap[at]!, heap[parent]!) <= 0) break;
        [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
        at = parent;
      }
      return;
    }
    if (compareScored(result, heap[0]!) >= 0) return;
    heap[0] = result;
    let at = 0;
    for (;;) {
      const left = at * 2 + 1;
      const right = left + 1;
      let worst = at;
      if (left < heap.length && compareScored(heap[left]!, heap[worst]!) > 0) worst = left;
      if (right < heap.length && compareScored(heap[right]!, heap[worst]!) > 0) worst = right;
      if (worst === at) break;
      [heap[at], heap[worst]] = [heap[worst]!, heap[at]!];
      at = worst;
    }
  }

  sorted(): ScoredKey[] {
    return [...this.heap].sort(compareScored);
  }
}

/**
 * The `k`-th largest of numbers offered one by one (-Infinity until `k` were offered): a min-heap of
 * the `k` largest, in a typed array.
 */
export class KthLargest {
  private readonly heap: Float64Array;
  private size = 0;
  constructor(private readonly k: number) {
    this.heap = new Float64Array(Math.max(k, 1));
  }

  get value(): number {
    return this.size < this.k ? -Infinity : this.heap[0]!;
  }

  /** Whether `value` would change what is kept (cheap test before a costlier check of the offer). */
  wouldKeep(value: number): boolean {
    return this.size < this.k || value > this.heap[0]!;
  }

  offer(value: number): void {
    const heap = this.heap;
    if (this.size < this.k) {
      let at = this.size++;
      heap[at] = value;
      while (at > 0) {
        const parent = (at - 1) >>> 1;
        if (heap[parent]! <= heap[at]!) break;
        [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
        at = parent;
      }
      return;
    }
    if (value <= heap[0]!) return;
    heap[0] = value;
    let at = 0;
    for (;;) {
      const left = at * 2 + 1;
      const right = left + 1;
      let least = at;
      if (left < this.size && heap[left]! < heap[least]!) least = left;
      if (right < this.size && heap[right]! < heap[least]!) least = right;
      if (least === at) break;
      [heap[at], heap[least]] = [heap[least]!, heap[at]!];
      at = least;
    }
  }
}
