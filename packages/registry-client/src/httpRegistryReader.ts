import { parseAgentCard, type AgentCard } from '@agent-registry/crds';
import { REGISTRY_API_BASE } from './apiBase.js';
import type { CardEvent, CardPage, CardQuery, RegistryReader } from './registryReader.js';
import { RegistryRequestError } from './registryStatus.js';
import { SseParser } from './sseParser.js';

export interface HttpRegistryReaderOptions {
  /** Bearer token for registries that require authentication. */
  token?: string;
  /** Timeout of a list or get request (default 10 s). */
  requestTimeoutMs?: number;
  /** First reconnect delay of the watch stream; doubles up to `maxReconnectDelayMs` (default 1 s). */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  /** Told about watch failures and cards the registry sent that do not parse; the reader carries on. */
  onError?: (error: Error) => void;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof globalThis.fetch;
}

/** A registry reader over HTTP; `close()` ends the watch stream. */
export interface HttpRegistryReader extends RegistryReader {
  subscribe(listener: (event: CardEvent) => void): () => void;
  close(): void;
}

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED']);

/**
 * A {@link RegistryReader} that talks to a registry's REST API:
 * `GET {baseUrl}/api/v1alpha1/registry/cards` (list), `.../cards/{namespace}/{name}`
 * (get) and `.../cards?watch=true` (SSE, for `subscribe`). One watch stream is
 * shared by all subscribers; it starts from the resourceVersion of a list (so
 * subscribers see changes, not the existing cards) and reconnects with
 * `Last-Event-ID` after failures.
 */
export function createHttpRegistryReader(
  baseUrl: string,
  options: HttpRegistryReaderOptions = {},
): HttpRegistryReader {
  const root = new URL(baseUrl);
  if (root.protocol !== 'http:' && root.protocol !== 'https:') {
    throw new TypeError(`registry URL must be http(s), got ${JSON.stringify(baseUrl)}`);
  }
  const apiUrl = `${root.href.replace(/\/+$/, '')}${REGISTRY_API_BASE}`;
  const doFetch = options.fetch ?? globalThis.fetch;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const reportError = (error: Error) => options.onError?.(error);
  const headers = (accept: string): Record<string, string> => ({
    accept,
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
  });

  const getJson = async (url: string): Promise<unknown> => {
    const response = await doFetch(url, {
      headers: headers('application/json'),
      signal: AbortSignal.timeout(requestTimeoutMs),
    }).catch((error: unknown) => {
      throw new Error(`registry at ${root.origin} is unreachable: ${describe(error)}`, { cause: error });
    });
    if (!response.ok) throw await requestError(response, url);
    return response.json();
  };

  const toCard = (input: unknown, where: string): AgentCard | undefined => {
    const parsed = parseAgentCard(input);
    if (parsed.ok) return parsed.value;
    const issue = parsed.issues[0];
    reportError(
      new Error(`registry sent an invalid AgentCard (${where}): ${issue?.path}: ${issue?.message}`),
    );
    return undefined;
  };

  const listeners = new Set<(event: CardEvent) => void>();
  let watch: AbortController | undefined;

  const startWatch = () => {
    const controller = new AbortController();
    watch = controller;
    void runWatch(controller.signal);
  };

  const runWatch = async (signal: AbortSignal) => {
    const initialDelay = options.reconnectDelayMs ?? 1000;
    const maxDelay = options.maxReconnectDelayMs ?? 30_000;
    let delay = initialDelay;
    let lastEventId: string | undefined;
    let serverRetry: number | undefined;
    // A watch without a resume point starts with ADDED for every existing card. Subscribers want
    // changes only (as a store's own subscribe gives them), so the first watch resumes from the
    // resourceVersion of a list. After 410 Gone the full re-send is kept: it stands in for the
    // changes that were missed.
    let resumeFromList = true;
    while (!signal.aborted) {
      try {
        if (resumeFromList) {
          lastEventId = await currentResourceVersion(signal);
          resumeFromList = false;
        }
        const response = await doFetch(`${apiUrl}/cards?watch=true`, {
          headers: {
            ...headers('text/event-stream'),
            ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
          },
          signal,
        });
        if (response.status === 410) {
          // The registry no longer holds events that old: start over with its full state.
          lastEventId = undefined;
          throw await requestError(response, 'watch');
        }
        if (!response.ok || !response.body) throw await requestError(response, 'watch');
        delay = initialDelay;
        const parser = new SseParser((event) => {
          if (!EVENT_TYPES.has(event.event)) return;
          let data: unknown;
          try {
            data = JSON.parse(event.data);
          } catch {
            reportError(new Error(`registry watch event ${event.id ?? ''} is not JSON`));
            return;
          }
          const card = toCard(data, `watch event ${event.id ?? ''}`.trim());
          if (!card) return;
          const change = { type: event.event, card } as CardEvent;
          for (const listener of [...listeners]) {
            try {
              listener(change);
            } catch (error) {
              reportError(error instanceof Error ? error : new Error(String(error)));
            }
          }
        });
        const decoder = new TextDecoder();
        try {
          for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
            parser.push(decoder.decode(chunk, { stream: true }));
          }
        } finally {
          lastEventId = parser.lastEventId ?? lastEventId;
          serverRetry = parser.retry ?? serverRetry;
        }
        if (!signal.aborted) reportError(new Error('registry watch stream ended; reconnecting'));
      } catch (error) {
        if (signal.aborted) return;
        reportError(new Error(`registry watch failed: ${describe(error)}`, { cause: error }));
      }
      await sleep(serverRetry ?? delay, signal);
      delay = Math.min(delay * 2, maxDelay);
    }
  };

  /** The registry's current resourceVersion (from a one-item list), if it tells. */
  const currentResourceVersion = async (signal: AbortSignal): Promise<string | undefined> => {
    const response = await doFetch(`${apiUrl}/cards?limit=1`, {
      headers: headers('application/json'),
      signal: AbortSignal.any([signal, AbortSignal.timeout(requestTimeoutMs)]),
    });
    if (!response.ok) throw await requestError(response, 'list');
    const body = (await response.json()) as { metadata?: { resourceVersion?: unknown } } | null;
    const version = body?.metadata?.resourceVersion;
    return typeof version === 'string' && version !== '' ? version : undefined;
  };

  return {
    async list(query: CardQuery): Promise<CardPage> {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined && value !== '') params.set(key, String(value));
      }
      const search = params.size > 0 ? `?${params}` : '';
      const body = (await getJson(`${apiUrl}/cards${search}`)) as {
        items?: unknown;
        metadata?: { continue?: unknown };
      };
      if (!body || !Array.isArray(body.items)) {
        throw new Error(`registry at ${root.origin} answered the card list without an "items" array`);
      }
      const items = body.items.flatMap((item, index) => toCard(item, `items[${index}]`) ?? []);
      const token = body.metadata?.continue;
      const page: CardPage =
        typeof token === 'string' && token !== '' ? { items, continue: token } : { items };
      // Ranked lists (`q`) carry a score per item; kept only when they line up with the items read.
      const { scores } = body as { scores?: unknown };
      if (
        Array.isArray(scores) &&
        scores.length === items.length &&
        scores.every((score) => typeof score === 'number')
      ) {
        page.scores = scores as number[];
      }
      return page;
    },

    async get(namespace: string, name: string): Promise<AgentCard | undefined> {
      try {
        const body = await getJson(
          `${apiUrl}/cards/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`,
        );
        const card = toCard(body, `${namespace}/${name}`);
        if (!card) throw new Error(`registry sent an invalid AgentCard for ${namespace}/${name}`);
        return card;
      } catch (error) {
        if (error instanceof RegistryRequestError && error.status === 404) return undefined;
        throw error;
      }
    },

    subscribe(listener) {
      listeners.add(listener);
      if (!watch) startWatch();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && watch) {
          watch.abort();
          watch = undefined;
        }
      };
    },

    close() {
      listeners.clear();
      watch?.abort();
      watch = undefined;
    },
  };
}

async function requestError(response: Response, what: string): Promise<RegistryRequestError> {
  let message = `${response.status} ${response.statusText}`.trim();
  let reason: string | undefined;
  try {
    const status = (await response.json()) as { message?: unknown; reason?: unknown };
    if (typeof status.message === 'string') message = `${message}: ${status.message}`;
    if (typeof status.reason === 'string') reason = status.reason;
  } catch {
    // Not a Status body; the status line says enough.
  }
  return new RegistryRequestError(`registry request ${what} failed: ${message}`, response.status, reason);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
