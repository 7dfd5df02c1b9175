import type { ReplayResult, SequencedCardEvent } from './types.js';

/**
 * A bounded ring buffer of recent events, for SSE resume. Replaying from a
 * sequence older than what the buffer holds is impossible (`ok: false`); the
 * caller then falls back to a full re-send.
 */
export class EventLog {
  private readonly buffer: (SequencedCardEvent | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.buffer = new Array<SequencedCardEvent | undefined>(capacity);
  }

  append(event: SequencedCardEvent): void {
    this.buffer[this.next] = event;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** The events with a sequence greater than `sequence`, oldest first. */
  since(sequence: number, current: number): ReplayResult {
    if (sequence === current) return { ok: true, events: [] };
    // A sequence from the future was issued by another replica or before a restart.
    if (sequence > current || sequence < 0) return { ok: false, oldest: current, current };
    const events: SequencedCardEvent[] = [];
    for (let i = 0; i < this.count; i++) {
      const event = this.buffer[(this.next - this.count + i + this.capacity) % this.capacity];
      if (event && event.sequence > sequence) events.push(event);
    }
    const oldest = events[0]?.sequence ?? current + 1;
    // Complete only if the buffer reaches back to the event right after `sequence`.
    if (oldest !== sequence + 1) return { ok: false, oldest, current };
    return { ok: true, events };
  }
}
