import type { AgentCard } from '@agent-registry/crds';
import type { Principal } from '../auth/types.js';
import type { Logger } from '../logger.js';
import { compileQuery } from '../store/cardMatcher.js';
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
 * Snapshot cards sent per pull before yielding to the event loop: small, since a card's JSON is made
 * on demand (the store keeps recent ones, so watchers that start together share them); other
 * requests wait at most one batch.
 */
const SNAPSHOT_BATCH = 16;

/**
 * A Server-Sent Events stream of card changes, Kubernetes watch style:
 * without a resume point it starts with ADDED for every matching card (all
 * with the current sequence as id), then live ADDED/MODIFIED/DELETED. A card
 * that starts or stops matching the filters arrives as ADDED or DELETED.
 * Resuming from a sequence older than the event buffer, or from an id another store instance
 * issued, is 410 Gone (start again without one). Event ids are `<epoch>.<sequence>`.
 *
 * Pull-based: frames are made only when the client has read what was sent (the response's drain
 * propagates here), the snapshot is a list of card references sent in small batches, and live events
 * wait in a bounded queue — a client that does not read costs a few kilobytes, and the event loop
 * is never held for a whole snapshot.
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
  const unsubscribe = store.subscribeSequenced((event) => {
    if (events.length >= maxQueued) {
      overflow = true;
    } else events.push(event);
    wake?.();
  });
  const startSequence = store.sequence;
  /** Card references (not frames) of the starting state: sent in batches as the client reads. */
  let snapshot: AgentCard[] = [];
  /** Whether the snapshot still has to be filtered (all cards were taken, cheaply, by reference). */
  let unfiltered = false;
  if (options.resumeFrom === undefined) {
    if (store.all) {
      snapshot = store.all();
      unfiltered = true;
    } else {
      let token: string | undefined;
      do {
        const page = store.list({ ...options.query, limit: 1000, continue: token });
        for (const card of page.items) snapshot.push(card);
        token = page.continue;
      } while (token);
    }
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

  // Visibility per namespace, decided once per stream (async for Kubernetes auth).
  const visibility = new Map<string, Promise<boolean>>();
  const visible = (namespace: string): Promise<boolean> => {
    let decision = visibility.get(namespace);
    if (!decision) visibility.set(namespace, (decision = principal.canRead(namespace, 'list')));
    return decision;
  };
  const matches = async (card: AgentCard | undefined): Promise<boolean> =>
    card !== undefined && compiled.matches(card) && (await visible(card.metadata.namespace ?? 'default'));

  let heartbeat: NodeJS.Timeout | undefined;
  let lifetime: NodeJS.Timeout | undefined;
  let closed = false;
  let lifetimeReached = false;
  let snapshotIndex = 0;
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
    events.length = 0;
    visibility.clear();
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
          if (snapshotIndex < snapshot.length) {
            const end = Math.min(snapshot.length, snapshotIndex + SNAPSHOT_BATCH);
            for (; snapshotIndex < end && !closed; snapshotIndex++) {
              const card = snapshot[snapshotIndex]!;
              if (unfiltered && !compiled.matches(card)) continue;
              if (await visible(card.metadata.namespace ?? 'default')) {
                controller.enqueue(frame('ADDED', startSequence, card));
              }
            }
            if (snapshotIndex >= snapshot.length) snapshot = [];
            // Yield to the event loop between batches, so other requests are served meanwhile.
            await new Promise<void>((resolve) => setImmediate(resolve));
            return;
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
