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

/**
 * A Server-Sent Events stream of card changes, Kubernetes watch style:
 * without a resume point it starts with ADDED for every matching card (all
 * with the current sequence as id), then live ADDED/MODIFIED/DELETED. A card
 * that starts or stops matching the filters arrives as ADDED or DELETED.
 * Resuming from a sequence older than the event buffer, or from an id another store instance
 * issued, is 410 Gone (start again without one). Event ids are `<epoch>.<sequence>`.
 */
export function watchStream(options: WatchOptions): ReadableStream<Uint8Array> {
  const { store, principal, signal, logger } = options;
  const compiled = compileQuery(options.query); // throws QueryError → 400 before the stream starts
  const maxQueued = options.maxQueuedEvents ?? 10_000;
  const epoch = store.epoch;
  const frame = (type: string, sequence: number, card: AgentCard): Uint8Array =>
    encoder.encode(
      `event: ${type}\nid: ${formatEventId(epoch, sequence)}\ndata: ${JSON.stringify(card)}\n\n`,
    );

  // Subscribe and read the starting point in the same tick, so no change falls between them.
  const pending: SequencedCardEvent[] = [];
  let deliver: ((event: SequencedCardEvent) => void) | undefined;
  const unsubscribe = store.subscribeSequenced((event) => (deliver ? deliver(event) : pending.push(event)));
  const startSequence = store.sequence;
  let replay: SequencedCardEvent[] = [];
  let snapshot: AgentCard[] | undefined;
  if (options.resumeFrom === undefined) {
    snapshot = [];
    let token: string | undefined;
    do {
      const page = store.list({ ...options.query, limit: 1000, continue: token });
      snapshot.push(...page.items);
      token = page.continue;
    } while (token);
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
    replay = result.events;
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
  let queued = 0;
  let chain: Promise<void> = Promise.resolve();
  let closeStream: (() => void) | undefined;

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const close = (): void => {
        if (closed) return;
        closed = true;
        unsubscribe();
        clearInterval(heartbeat);
        clearTimeout(lifetime);
        signal.removeEventListener('abort', close);
        try {
          controller.close();
        } catch {
          // Already closed or errored by the consumer.
        }
      };
      const send = (bytes: Uint8Array): void => {
        if (closed) return;
        try {
          controller.enqueue(bytes);
        } catch {
          close(); // The consumer went away.
        }
      };
      const handle = async (event: SequencedCardEvent): Promise<void> => {
        const now = event.type === 'DELETED' ? false : await matches(event.card);
        const before = event.type === 'ADDED' ? false : await matches(event.previous ?? event.card);
        if (now && before) send(frame('MODIFIED', event.sequence, event.card));
        else if (now) send(frame('ADDED', event.sequence, event.card));
        else if (before) send(frame('DELETED', event.sequence, event.card));
      };
      // Events are handled strictly in order, even when a visibility check is asynchronous.
      const enqueue = (event: SequencedCardEvent): void => {
        if (closed) return;
        if (++queued > maxQueued) {
          logger.warn('watch client too slow; closing its stream', { queued });
          close();
          return;
        }
        chain = chain.then(() => handle(event)).finally(() => void queued--);
      };

      if (signal.aborted) return close();
      signal.addEventListener('abort', close);
      send(encoder.encode(`retry: 2000\n: watching from ${formatEventId(epoch, startSequence)}\n\n`));
      chain = (async () => {
        if (snapshot) {
          for (const card of snapshot) {
            if (await visible(card.metadata.namespace ?? 'default'))
              send(frame('ADDED', startSequence, card));
          }
        }
      })();
      for (const event of replay) enqueue(event);
      for (const event of pending) enqueue(event);
      deliver = enqueue;
      heartbeat = setInterval(() => send(encoder.encode(': heartbeat\n\n')), options.heartbeatMs);
      heartbeat.unref();
      const maxDurationMs = options.maxDurationMs ?? 0;
      if (maxDurationMs > 0) {
        // The stream's authorization was decided when it opened: end it in time, after what is queued.
        lifetime = setTimeout(
          () => {
            void chain.then(() => {
              send(encoder.encode(': stream lifetime reached; reconnect with Last-Event-ID\n\n'));
              close();
            });
          },
          maxDurationMs * (1 - Math.random() * 0.1),
        );
        lifetime.unref();
      }
      closeStream = close;
    },
    cancel() {
      closeStream?.();
    },
  });
}
