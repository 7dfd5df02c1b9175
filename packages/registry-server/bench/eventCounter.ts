/**
 * Counts one kind of Server-Sent Event (`event: ADDED`) in a stream's bytes as they arrive: no copy
 * of the chunk, no string made of it, so a bench's reader takes little CPU from the server it reads
 * on a small machine. A name cut between two chunks is found in the seam.
 */
export class EventCounter {
  private readonly needle: Buffer;
  private tail = Buffer.alloc(0);
  count = 0;
  bytes = 0;

  constructor(event: string) {
    this.needle = Buffer.from(`event: ${event}\n`);
  }

  add(value: Uint8Array): void {
    const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    const needle = this.needle;
    this.bytes += chunk.byteLength;
    if (this.tail.byteLength > 0) {
      // Tail and start of this chunk are each shorter than the needle: a match here spans the cut.
      const at = Buffer.concat([this.tail, chunk.subarray(0, needle.byteLength - 1)]).indexOf(needle);
      if (at !== -1 && at < this.tail.byteLength) this.count++;
    }
    for (let at = chunk.indexOf(needle); at !== -1; at = chunk.indexOf(needle, at + needle.byteLength)) {
      this.count++;
    }
    this.tail = Buffer.from(chunk.subarray(Math.max(0, chunk.byteLength - (needle.byteLength - 1))));
  }
}
