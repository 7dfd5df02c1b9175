/** One dispatched Server-Sent Event. */
export interface SseEvent {
  /** The `event:` field, `message` when absent. */
  event: string;
  data: string;
  /** The last event id seen on the stream so far (sticky, per the SSE specification). */
  id?: string;
}

/** Longest line kept; a longer one means a broken or hostile stream. */
const MAX_LINE = 8 * 1024 * 1024;

/**
 * An incremental parser for the `text/event-stream` format
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html):
 * feed it decoded text in any chunking; it calls `onEvent` per event.
 */
export class SseParser {
  #buffer = '';
  #event = '';
  #data: string[] = [];
  #lastEventId: string | undefined;
  #retry: number | undefined;
  #sawCarriageReturn = false;

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  /** The reconnection delay the server asked for with `retry:`, in milliseconds. */
  get retry(): number | undefined {
    return this.#retry;
  }

  /** The id of the last event, for `Last-Event-ID` on reconnect. */
  get lastEventId(): string | undefined {
    return this.#lastEventId;
  }

  push(chunk: string): void {
    let text = this.#buffer + chunk;
    // A CRLF split across chunks: the LF belongs to a line already ended by the CR.
    if (this.#sawCarriageReturn && text.startsWith('\n')) text = text.slice(1);
    this.#sawCarriageReturn = false;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const char = text[i];
      if (char !== '\n' && char !== '\r') continue;
      this.#line(text.slice(start, i));
      if (char === '\r') {
        if (i + 1 === text.length) this.#sawCarriageReturn = true;
        else if (text[i + 1] === '\n') i++;
      }
      start = i + 1;
    }
    this.#buffer = text.slice(start);
    if (this.#buffer.length > MAX_LINE) throw new Error(`SSE line longer than ${MAX_LINE} characters`);
  }

  #line(line: string): void {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#event = value;
        break;
      case 'data':
        this.#data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.#lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#retry = Number(value);
        break;
    }
  }

  #dispatch(): void {
    if (this.#data.length === 0) {
      this.#event = '';
      return;
    }
    const event: SseEvent = { event: this.#event || 'message', data: this.#data.join('\n') };
    if (this.#lastEventId !== undefined) event.id = this.#lastEventId;
    this.#event = '';
    this.#data = [];
    this.onEvent(event);
  }
}
