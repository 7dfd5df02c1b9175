import { status, StatusError } from './status.js';

export interface WatchLimitOptions {
  /** Open watch streams of one client (address, or principal when authenticated). */
  perClient: number;
  /** Open watch streams in total. */
  total: number;
}

/**
 * Counts open watch streams per client and in total. `acquire` returns the release function, or
 * throws the 429 (with `Retry-After`) that says which bound was hit. A client's entry is deleted
 * when its last stream ends, so the map holds only clients that are watching.
 */
export class WatchLimits {
  private readonly open = new Map<string, number>();
  private total = 0;

  constructor(private readonly options: WatchLimitOptions) {}

  get size(): number {
    return this.total;
  }

  acquire(client: string): () => void {
    const mine = this.open.get(client) ?? 0;
    if (mine >= this.options.perClient) {
      throw tooMany(`at most ${this.options.perClient} open watch streams per client; close one first`);
    }
    if (this.total >= this.options.total) {
      throw tooMany(`the registry serves at most ${this.options.total} watch streams; retry later`);
    }
    this.open.set(client, mine + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.open.get(client) ?? 1) - 1;
      if (left <= 0) this.open.delete(client);
      else this.open.set(client, left);
    };
  }
}

const tooMany = (message: string): StatusError =>
  new StatusError(status(429, 'TooManyRequests', message), { 'retry-after': '10' });
