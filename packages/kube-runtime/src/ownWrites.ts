/**
 * The resourceVersions this process's own writes produced, per key, so that the watch event each write
 * echoes back can be told apart from a change by someone else.
 *
 * A controller that watches what it writes gets an event for every one of its writes; reconciling the key
 * again for it finds exactly the state the write produced and does nothing (the reconcile that wrote already
 * saw the inputs). At scale those no-op reconciles are two thirds of all reconciles of a new object (its
 * create, then its status write). An event whose resourceVersion was returned by one of our writes is such an
 * echo: controller-runtime users skip them with predicates (e.g. on generation); a resourceVersion match is
 * narrower — any other version (a change by anyone else, or a relist that skipped ours) is not an echo.
 * Deletes are never echoes. An echo that never arrives (the watch missed it) costs one of the few entries
 * kept per key, nothing more.
 */
export class OwnWrites {
  private readonly versions = new Map<string, string[]>();

  /** @param perKey resourceVersions remembered per key (the oldest goes first). */
  constructor(private readonly perKey = 4) {}

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

  /** True when an event of `key` at `resourceVersion` is the echo of a recorded write (each echo counts once). */
  isEcho(key: string, resourceVersion: string | undefined): boolean {
    const versions = this.versions.get(key);
    if (!versions || !resourceVersion) return false;
    const index = versions.indexOf(resourceVersion);
    if (index === -1) return false;
    // Older versions will not be seen any more: the cache has moved past them.
    versions.splice(0, index + 1);
    if (versions.length === 0) this.versions.delete(key);
    return true;
  }

  /** The object is gone: nothing of it can echo any more. */
  forget(key: string): void {
    this.versions.delete(key);
  }

  /** Keys with recorded writes not echoed yet (tests and diagnostics). */
  get size(): number {
    return this.versions.size;
  }
}
