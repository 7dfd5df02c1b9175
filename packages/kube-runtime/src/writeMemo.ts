/**
 * Remembers writes the informer cache has not shown yet (controller-runtime
 * calls these "expectations"): right after an apply, a reconcile triggered by
 * another event still sees the old cached card and would send the same write
 * again. A memo says "I wrote X on top of resourceVersion R"; while the cache
 * still holds R, writing X again is pointless. Any cache event for the key with
 * another resourceVersion ends the memo, so a concurrent change by someone
 * else is never masked. Memos also expire (a watch outage can hide events).
 */
export class WriteMemo {
  private readonly memos = new Map<string, { basedOn: string | undefined; content: string; at: number }>();

  constructor(private readonly ttlMs = 60_000) {}

  remember(key: string, basedOn: string | undefined, content: string): void {
    this.memos.set(key, { basedOn, content, at: Date.now() });
  }

  /** True when `content` was written on top of exactly the state the cache still shows. */
  isPending(key: string, cachedVersion: string | undefined, content: string): boolean {
    const memo = this.memos.get(key);
    if (memo === undefined) return false;
    if (Date.now() - memo.at > this.ttlMs) {
      this.memos.delete(key);
      return false;
    }
    return memo.basedOn === cachedVersion && memo.content === content;
  }

  /** The cache moved for `key`: memos based on another version are void. */
  observe(key: string, resourceVersion: string | undefined): void {
    const memo = this.memos.get(key);
    if (memo && memo.basedOn !== resourceVersion) this.memos.delete(key);
  }

  forget(key: string): void {
    this.memos.delete(key);
  }
}
