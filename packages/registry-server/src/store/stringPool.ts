/**
 * Equal strings of parsed cards made one string. Every card parsed from JSON text holds its own copy
 * of each value — the same `apiVersion`, label values, provider, skill ids and names, condition
 * reasons in thousands of cards — so a pool shared by the cards of one manifest file keeps one copy
 * of each (bench/cards.ts's 100,000 cards in 100 files: 1.61 → 1.23 KB of heap a card, for 0.4 s of
 * CPU). A pool per file, not per scan: its table stays small (a scan-wide one, of every distinct
 * value, hashed cold strings: 2.5× the CPU for little more sharing). Strings of 11 to `maxLength`
 * characters only: V8's JSON.parse already makes equal strings of up to 10 characters one string,
 * and long ones are mostly unique (descriptions). At most `maxStrings` are pooled, bounding the table.
 */
export class StringPool {
  private readonly strings = new Map<string, string>();

  constructor(
    private readonly maxStrings = 100_000,
    private readonly maxLength = 96,
  ) {}

  /** The pooled string equal to `value` (pooled now if there is room). */
  string(value: string): string {
    if (value.length <= 10 || value.length > this.maxLength) return value;
    const pooled = this.strings.get(value);
    if (pooled !== undefined) return pooled;
    if (this.strings.size < this.maxStrings) this.strings.set(value, value);
    return value;
  }

  /**
   * Replaces, in place, each string inside `value` (objects and arrays as JSON.parse makes them) by
   * its pooled equal. Property names need nothing: V8 keeps one copy of each already.
   */
  internAll(value: unknown): void {
    if (typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (let at = 0; at < value.length; at++) {
        const item: unknown = value[at];
        if (typeof item === 'string') value[at] = this.string(item);
        else this.internAll(item);
      }
      return;
    }
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      const item = object[key];
      if (typeof item === 'string') object[key] = this.string(item);
      else this.internAll(item);
    }
  }
}
