/**
 * The resourceVersions a controller's own writes produced, per key, so that the watch event each write
 * echoes back can be told apart from a change by someone else.
 *
 * A controller that watches what it writes gets an event for every one of its writes; reconciling the key
 * again for it finds exactly the state the write produced and does nothing (the reconcile that wrote already
 * saw the inputs). At scale those no-op reconciles are two thirds of all reconciles of a new object (its
 * create, then its status write). An event whose resourceVersion was returned by one of our writes is such an
 * echo: controller-runtime users skip them with predicates (e.g. on generation); a resourceVersion match is
 * narrower — any other version (a change by anyone else, or a relist that skipped ours) is not an echo.
 *
 * The echo often arrives before the response of the write that caused it. So while a reconcile of a key runs
 * ({@link begin} … {@link end}), the key's events are held, and {@link end} says whether one of them was not
 * the echo of that reconcile's writes. A reconcile also forgets the key's older writes when it begins: it may
 * decide on a cache that has not caught up with them, and then their events must bring the key back.
 *
 * Deletes are never echoes. An echo that never arrives (the watch missed it) costs one of the few entries kept
 * per key, nothing more.
 */
export class OwnWrites {
  private readonly versions = new Map<string, string[]>();
  /** Keys being reconciled → resourceVersions of their events meanwhile. */
  private readonly held = new Map<string, string[]>();

  /** @param perKey resourceVersions remembered per key (the oldest goes first). */
  constructor(private readonly perKey = 4) {}

  /** A reconcile of `key` begins: its older writes are forgotten, its events held until {@link end}. */
  begin(key: string): void {
    this.versions.delete(key);
    this.held.set(key, []);
  }

  /** A write of `key` returned `resourceVersion`. */
  record(key: string, resourceVersion: string | undefined): void {
    if (!resourceVersion) return;
    const versions = this.versions.get(key);
    if (!versions) {
      this.versions.set(key, [resourceVersion]);
      return;
    }
    versions.push(resourceVersion);
    if (versions.length > this.perKey) versions.shift();
  }

  /**
   * The reconcile of `key` ended: true when an event held meanwhile was not the echo of one of its writes
   * (the key must be reconciled again).
   */
  end(key: string): boolean {
    const held = this.held.get(key) ?? [];
    this.held.delete(key);
    let changed = false;
    for (const resourceVersion of held) if (!this.isEcho(key, resourceVersion)) changed = true;
    return changed;
  }

  /**
   * An add or update event of `key`: true when it needs no reconcile now — the echo of a recorded write, or
   * held while a reconcile of the key runs ({@link end} decides).
   */
  handled(key: string, resourceVersion: string | undefined): boolean {
    const held = this.held.get(key);
    if (held && resourceVersion) {
      held.push(resourceVersion);
      return true;
    }
    return this.isEcho(key, resourceVersion);
  }

  /** The object is gone: nothing of it can echo any more. */
  forget(key: string): void {
    this.versions.delete(key);
  }

  /** Keys with recorded writes not echoed yet (tests and diagnostics). */
  get size(): number {
    return this.versions.size;
  }

  /** True (once) when `resourceVersion` was returned by a recorded write of `key`. */
  private isEcho(key: string, resourceVersion: string | undefined): boolean {
    const versions = this.versions.get(key);
    if (!versions || !resourceVersion) return false;
    const index = versions.indexOf(resourceVersion);
    if (index === -1) return false;
    // Older versions will not be seen any more: watch events come in order, the cache has moved past them.
    versions.splice(0, index + 1);
    if (versions.length === 0) this.versions.delete(key);
    return true;
  }
}
