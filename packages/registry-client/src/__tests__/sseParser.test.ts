import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from '../sseParser.js';

function parse(chunks: string[]): { events: SseEvent[]; parser: SseParser } {
  const events: SseEvent[] = [];
  const parser = new SseParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  return { events, parser };
}

describe('SseParser', () => {
  const stream =
    'event: ADDED\nid: 1\ndata: {"a":1}\n\n: keep-alive\n\nevent: DELETED\nid: 2\ndata: line one\ndata: line two\n\n';

  it('parses events, ids, comments and multi-line data', () => {
    const { events, parser } = parse([stream]);
    expect(events).toEqual([
      { event: 'ADDED', id: '1', data: '{"a":1}' },
      { event: 'DELETED', id: '2', data: 'line one\nline two' },
    ]);
    expect(parser.lastEventId).toBe('2');
  });

  it('gives the same events however the stream is chunked', () => {
    const whole = parse([stream]).events;
    for (let size = 1; size < 12; size++) {
      const chunks = stream.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
      expect(parse(chunks).events).toEqual(whole);
    }
  });

  it('accepts CR, LF and CRLF line ends, including a CRLF split across chunks', () => {
    expect(parse(['data: a\r', '\n\r\n', 'data: b\r\rdata: c\n\n']).events.map((e) => e.data)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('defaults the event type to message, keeps ids sticky and reads retry', () => {
    const { events, parser } = parse(['id: 7\ndata: x\n\nretry: 2500\ndata: y\n\nretry: soon\n\n']);
    expect(events).toEqual([
      { event: 'message', id: '7', data: 'x' },
      { event: 'message', id: '7', data: 'y' },
    ]);
    expect(parser.retry).toBe(2500);
  });

  it('dispatches nothing for an event without data, and nothing before the blank line', () => {
    expect(parse(['event: ADDED\n\n', 'data: pending']).events).toEqual([]);
  });
});
