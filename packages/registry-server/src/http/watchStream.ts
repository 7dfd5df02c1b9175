import type { AgentCard } from '@agent-registry/crds';
import type { Principal } from '../auth/types.js';
import type { Logger } from '../logger.js';
import { compileQuery, keyOf } from '../store/cardMatcher.js';
import { formatEventId, type EventId } from '../store/eventId.js';
import type { CardQuery, CardStore, SequencedCardEvent } from '../store/types.js';
import { status, StatusError } from './status.js';

export interface WatchOptions {
  store: CardStore;
  query: Omit<CardQuery, 'limit' | 'continue'>;
  principal: Principal;
  /** Resume after this event id (Last-Event-ID / ?resourceVersion= / ?since=); undefined = full state first. */
  resumeFrom: EventId | undefined;
  heartbeatMs: number;
  /**
   * The stream ends cleanly after this long (minus up to 10 % jitter, so reconnects spread out); the
   * client resumes with Last-Event-ID and is authenticated again. 0 = no limit.
   */
  maxDurationMs?: number;
  /** Closes the stream (client gone, server shutting down). */
  signal: AbortSignal;
  /** Events queued for a slow client before the stream is closed (it reconnects with Last-Event-ID). */
  maxQueuedEvents?: number;
  logger: Logger;
}

const encoder = new TextEncoder();
/** Bytes a stream may have queued before it waits for the client to read (node's drain does the rest). */
const HIGH_WATER_BYTES = 64 * 1024;
/**
 * Snapshot cards looked at per pull before yielding to the event loop, and the frame bytes after
 * which a batch ends sooner (large cards): other requests wait at most one batch, about a
 * millisecond of work. Each batch goes out as one chunk: with a chunk per card (three buffers each)
 * the stream's machinery cost more than the cards — a 100,000-card snapshot took 5.7–6.1 s of the
 * registry's CPU that way, 1.5–2.2 s now (bench/watchSnapshotProbe.ts).
 */
const SNAPSHOT_BATCH = 64;
const SNAPSHOT_BATCH_BYTES = 32 * 1024;
/** Cards read from the store per page of the snapshot (the store's largest page). */
const SNAPSHOT_PAGE = 1000;
/** The store's order of card keys (`namespace/name`), which pages follow. */
const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A Server-Sent Events stream of card changes, Kubernetes watch style:
 * without a resume point it starts with ADDED for every matching card (all
 * with the current sequence as id), then live ADDED/MODIFIED/DELETED. A card
 * that starts or stops matching the filters arrives as ADDED or DELETED.
 * Resuming from a sequence older than the event buffer, or from an id another store instance
 * issued, is 410 Gone (start again without one). Event ids are `<epoch>.<sequence>`.
 *
 * Pull-based: frames are made only when the client has read what was sent (the response's drain
 * propagates here), the snapshot is read from the store a page at a time and sent in small batches,
 * and live events wait in a bounded queue — a client that does not read costs a few kilobytes, and
 * the event loop is never held for a whole snapshot (nor for a pass over every card at its start:
 * taking 100,000 card references at once alone took 30–45 ms of CPU).
 */
export function watchStream(options: WatchOptions): ReadableStream<Uint8Array> {
  const { store, principal, signal, logger } = options;
  const compiled = compileQuery(options.query); // throws QueryError → 400 before the stream starts
  const maxQueued = options.maxQueuedEvents ?? 10_000;
  const epoch = store.epoch;
  const frame = (type: string, sequence: number, card: AgentCard): Uint8Array => {
    const head = encoder.encode(`event: ${type}\nid: ${formatEventId(epoch, sequence)}\ndata: `);
    const body = store.serialized(card);
    const out = new Uint8Array(head.length + body.length + 2);
    out.set(head, 0);
    out.set(body, head.length);
    out[out.length - 2] = 10;
    out[out.length - 1] = 10;
    return out;
  };

  // Subscribe and read the starting point in the same tick, so no change falls between them.
  const events: SequencedCardEvent[] = [];
  let wake: (() => void) | undefined;
  let overflow = false;
  /**
   * While the snapshot is still being paged: each card changed since the start, as it was at the
   * start (undefined: it did not exist then). Pages show the live index, so these correct them back
   * to the starting state; the changes themselves follow the snapshot as events.
   */
  let startingState: Map<string, AgentCard | undefined> | undefined;
  const unsubscribe = store.subscribeSequenced((event) => {
    // (Not after an overflow: the stream closes once the snapshot is out.)
    if (startingState && !overflow) {
      const key = keyOf(event.card);
      if (!startingState.has(key)) {
        startingState.set(key, event.type === 'ADDED' ? undefined : (event.previous ?? event.card));
      }
    }
    if (events.length >= maxQueued) {
      overflow = true;
    } else events.push(event);
    wake?.();
  });
  const startSequence = store.sequence;
  /** The snapshot page being sent (card references), and where the next one starts. */
  let snapshot: AgentCard[] = [];
  let snapshotIndex = 0;
  let pageToken: string | undefined;
  /** Key of the last card of the pages read so far ('' before the first). */
  let pagedUpTo = '';
  /** The filters the store can apply while paging; `q` would rank instead of keeping key order. */
  const { q: _q, ...pageFilters } = options.query;
  if (options.resumeFrom === undefined) {
    startingState = new Map();
  } else {
    const { epoch: from, sequence } = options.resumeFrom;
    const resumeId = from === '' ? String(sequence) : formatEventId(from, sequence);
    if (from !== epoch) {
      unsubscribe();
      throw new StatusError(
        status(
          410,
          'Gone',
          `cannot resume from event ${resumeId}: it was issued by another registry instance (a replica or an earlier process; this one is ${epoch}); watch again without Last-Event-ID`,
        ),
      );
    }
    const result = store.eventsSince(sequence);
    if (!result.ok) {
      unsubscribe();
      throw new StatusError(
        status(
          410,
          'Gone',
          `cannot resume from event ${resumeId}: the registry holds events ${formatEventId(epoch, result.oldest)}..${formatEventId(epoch, result.current)}; watch again without Last-Event-ID`,
        ),
      );
    }
    events.unshift(...result.events);
  }

  /**
   * The next page of the starting state, in namespace/name order: the live page, with the cards
   * changed since the start put back as they were then (cards are immutable, so a reference taken
   * now stays what it is). Leaves `startingState` undefined after the last page.
   */
  const nextSnapshotPage = (): void => {
    const changed = startingState as Map<string, AgentCard | undefined>;
    const page = store.list({ ...pageFilters, limit: SNAPSHOT_PAGE, continue: pageToken });
    pageToken = page.continue;
    const from = pagedUpTo;
    const last = page.items.at(-1);
    const upTo = pageToken === undefined || !last ? undefined : keyOf(last);
    const cards: AgentCard[] = [];
    const seen = new Set<string>();
    for (const card of page.items) {
      const key = keyOf(card);
      if (!changed.has(key)) {
        cards.push(card);
        continue;
      }
      seen.add(key);
      const before = changed.get(key);
      if (before) cards.push(before);
    }
    // Cards of this key range that have left the index (or the filters) since the start.
    let added = false;
    for (const [key, before] of changed) {
      if (before && key > from && (upTo === undefined || key <= upTo) && !seen.has(key)) {
        cards.push(before);
        added = true;
      }
    }
    if (added) cards.sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
    snapshot = cards;
    snapshotIndex = 0;
    if (upTo === undefined) startingState = undefined;
    else pagedUpTo = upTo;
  };
  const snapshotHead = `event: ADDED\nid: ${formatEventId(epoch, startSequence)}\ndata: `;

  // Visibility per namespace, decided once per stream (async for Kubernetes auth).
  const visibility = new Map<string, Promise<boolean>>();
  /** The decisions already made, read without a promise per card. */
  const decided = new Map<string, boolean>();
  const visible = (namespace: string): Promise<boolean> => {
    let decision = visibility.get(namespace);
    if (!decision) {
      decision = principal.canRead(namespace, 'list');
      visibility.set(namespace, decision);
      void decision.then(
        (allowed) => decided.set(namespace, allowed),
        () => undefined,
      );
    }
    return decision;
  };
  const matches = async (card: AgentCard | undefined): Promise<boolean> =>
    card !== undefined && compiled.matches(card) && (await visible(card.metadata.namespace ?? 'default'));

  let heartbeat: NodeJS.Timeout | undefined;
  let lifetime: NodeJS.Timeout | undefined;
  let closed = false;
  let lifetimeReached = false;
  let controllerRef: ReadableStreamDefaultController<Uint8Array> | undefined;

  const close = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(heartbeat);
    clearTimeout(lifetime);
    signal.removeEventListener('abort', close);
    // Let go of what the stream held: the snapshot references and queued events.
    snapshot = [];
    startingState = undefined;
    events.length = 0;
    visibility.clear();
    decided.clear();
    const wakeUp = wake;
    wake = undefined;
    wakeUp?.();
    try {
      controllerRef?.close();
    } catch {
      // Already closed or errored by the consumer.
    }
  };

  const frameOf = async (event: SequencedCardEvent): Promise<Uint8Array | undefined> => {
    const now = event.type === 'DELETED' ? false : await matches(event.card);
    const before = event.type === 'ADDED' ? false : await matches(event.previous ?? event.card);
    if (now && before) return frame('MODIFIED', event.sequence, event.card);
    if (now) return frame('ADDED', event.sequence, event.card);
    if (before) return frame('DELETED', event.sequence, event.card);
    return undefined;
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controllerRef = controller;
        if (signal.aborted) return close();
        signal.addEventListener('abort', close);
        controller.enqueue(
          encoder.encode(`: watching from ${formatEventId(epoch, startSequence)}\nretry: 2000\n\n`),
        );
        heartbeat = setInterval(() => {
          // Only when nothing is waiting: a client that does not read gets no more bytes queued.
          if (!closed && (controller.desiredSize ?? 0) > 0)
            controller.enqueue(encoder.encode(': heartbeat\n\n'));
        }, options.heartbeatMs);
        heartbeat.unref();
        const maxDurationMs = options.maxDurationMs ?? 0;
        if (maxDurationMs > 0) {
          // The stream's authorization was decided when it opened: end it in time, after what is queued.
          lifetime = setTimeout(
            () => {
              lifetimeReached = true;
              wake?.();
            },
            maxDurationMs * (1 - Math.random() * 0.1),
          );
          lifetime.unref();
        }
      },
      async pull(controller) {
        // One batch per pull: the stream asks again once the client has taken it.
        while (!closed) {
          if (snapshotIndex >= snapshot.length && startingState) {
            try {
              nextSnapshotPage();
            } catch (error) {
              logger.error('watch: cannot read the starting state; closing the stream', { error });
              return close();
            }
          }
          if (snapshotIndex < snapshot.length) {
            // One chunk per batch: the frames share their head (every snapshot event has the
            // starting sequence as id), and the JSON is made here rather than through the store's
            // small cache of serialized cards: a snapshot reads each card once, and would only
            // evict what list pages and live events share.
            let text = '';
            const end = Math.min(snapshot.length, snapshotIndex + SNAPSHOT_BATCH);
            for (; snapshotIndex < end && text.length < SNAPSHOT_BATCH_BYTES && !closed; snapshotIndex++) {
              const card = snapshot[snapshotIndex]!;
              if (!compiled.matches(card)) continue;
              const namespace = card.metadata.namespace ?? 'default';
              if (decided.get(namespace) ?? (await visible(namespace))) {
                text += snapshotHead + JSON.stringify(card) + '\n\n';
              }
            }
            if (text !== '' && !closed) controller.enqueue(Buffer.from(text));
            if (snapshotIndex >= snapshot.length) snapshot = [];
            // Yield to the event loop between batches, so other requests are served meanwhile.
            await new Promise<void>((resolve) => setImmediate(resolve));
            if (text !== '') return;
            continue;
          }
          if (overflow) {
            logger.warn('watch client too slow; closing its stream', { queued: maxQueued });
            return close();
          }
          if (events.length > 0) {
            let sent = false;
            for (let count = 0; count < SNAPSHOT_BATCH && events.length > 0 && !closed; count++) {
              const bytes = await frameOf(events.shift() as SequencedCardEvent);
              if (bytes && !closed) {
                controller.enqueue(bytes);
                sent = true;
              }
            }
            if (sent) return;
            continue;
          }
          if (lifetimeReached) {
            controller.enqueue(encoder.encode(': stream lifetime reached; reconnect with Last-Event-ID\n\n'));
            return close();
          }
          // Nothing to send: wait for an event, the lifetime, or the end.
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        }
      },
      cancel() {
        close();
      },
    },
    { highWaterMark: HIGH_WATER_BYTES, size: (chunk) => chunk.byteLength },
  );
}
