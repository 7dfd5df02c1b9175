import { trace, SpanStatusCode } from '@opentelemetry/api';
import { validateA2ACard } from '@agent-registry/a2a-translator';
import type { AgentCard, AgentCardStatus, Health } from '@agent-registry/crds';
import {
  describeError,
  Semaphore,
  type EndpointReadinessLookup,
  type Logger,
} from '@agent-registry/kube-runtime';
import type { ControllerMetrics } from './metrics.js';
import { TRACER_NAME } from './tracing.js';

/** The result of one probe of one card. */
export interface ProbeOutcome {
  health: Health;
  /** Why, in a few words (logged, and a span attribute). */
  reason: string;
  /** The URL probed (a later URL change makes this outcome stale). */
  url: string | undefined;
  checkedAt: Date;
}

export const WELL_KNOWN_AGENT_CARD = '/.well-known/agent-card.json';
const MAX_CARD_BYTES = 1024 * 1024;

/**
 * The health fields a card's status should have, given what it has and the
 * latest probe: health follows the probe; `lastSeen` (the last time the agent
 * answered with a valid card) moves at most once per interval so a healthy
 * agent costs one status write per interval, not one per probe.
 */
export function healthFields(
  observed: AgentCardStatus | undefined,
  outcome: ProbeOutcome | undefined,
  intervalMs: number,
): Pick<AgentCardStatus, 'health' | 'lastSeen'> {
  const lastSeen = observed?.lastSeen;
  if (!outcome) return { health: observed?.health ?? 'Unknown', ...(lastSeen ? { lastSeen } : {}) };
  if (outcome.health !== 'Healthy') return { health: outcome.health, ...(lastSeen ? { lastSeen } : {}) };
  const stale = !lastSeen || outcome.checkedAt.getTime() - Date.parse(lastSeen) >= intervalMs;
  return { health: 'Healthy', lastSeen: stale ? toTimestamp(outcome.checkedAt) : lastSeen };
}

export const toTimestamp = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** `<service>.<namespace>` of an in-cluster service host, else undefined. */
export function serviceOfHost(
  host: string,
  clusterDomain: string,
): { service: string; namespace: string } | undefined {
  const suffix = `.svc.${clusterDomain}`;
  const lower = host.toLowerCase().replace(/\.$/, '');
  if (!lower.endsWith(suffix)) return undefined;
  const parts = lower.slice(0, -suffix.length).split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { service: parts[0], namespace: parts[1] };
}

/** A stable offset in [0, interval) for a key (FNV-1a), so probes spread over the interval. */
export function probeOffset(key: string, intervalMs: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % Math.max(1, Math.floor(intervalMs));
}

export interface ProberOptions {
  /** Ready endpoints of in-cluster Services (a cache: probes never call the apiserver). */
  endpoints?: EndpointReadinessLookup;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  intervalMs: number;
  timeoutMs: number;
  concurrency: number;
  clusterDomain: string;
  logger: Logger;
  metrics?: ControllerMetrics;
  /** The cards to probe, keyed `namespace/name` (the controller's cache). */
  cards: () => Iterable<[string, AgentCard]>;
  /** Called after each probe whose outcome would change the card's status. */
  onChange: (key: string) => void;
}

/**
 * Probes every card once per interval. Each card has a stable offset in the
 * interval, so probes are spread evenly instead of fired in bursts; each probe
 * takes a concurrency slot and is aborted after the timeout, so a hanging
 * agent delays no one else for longer than that.
 */
export class Prober {
  private readonly outcomes = new Map<string, ProbeOutcome>();
  private readonly inFlight = new Set<string>();
  private readonly slots: Semaphore;
  private readonly tickMs: number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastTick = 0;
  private stopping = new AbortController();
  private running: Promise<unknown>[] = [];

  constructor(private readonly options: ProberOptions) {
    this.slots = new Semaphore(options.concurrency);
    this.tickMs = Math.max(20, Math.min(1000, Math.floor(options.intervalMs / 10)));
  }

  /** The latest outcome for a card, if it was probed since this prober started. */
  outcome(key: string, url: string | undefined): ProbeOutcome | undefined {
    const outcome = this.outcomes.get(key);
    return outcome && outcome.url === url ? outcome : undefined;
  }

  forget(key: string): void {
    this.outcomes.delete(key);
  }

  start(): void {
    if (this.timer) return;
    this.stopping = new AbortController();
    this.lastTick = Date.now() - this.tickMs;
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.tick();
  }

  /** Stops scheduling and aborts probes in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stopping.abort();
    await Promise.allSettled(this.running);
  }

  private tick(): void {
    const now = Date.now();
    const window = now - this.lastTick;
    this.lastTick = now;
    const { intervalMs } = this.options;
    for (const [key, card] of this.options.cards()) {
      if (this.inFlight.has(key)) continue;
      const phase = (((now - probeOffset(key, intervalMs)) % intervalMs) + intervalMs) % intervalMs;
      // Due when this card's point in the interval fell inside the last tick (or it was never probed and the window is wide).
      if (phase >= window) continue;
      this.inFlight.add(key);
      const run = this.slots
        .run(() => this.probeAndRecord(key, card))
        .catch((error: unknown) =>
          this.options.logger.error('probe crashed', { key, error: describeError(error) }),
        )
        .finally(() => {
          this.inFlight.delete(key);
          this.running = this.running.filter((p) => p !== run);
        });
      this.running.push(run);
    }
  }

  private async probeAndRecord(key: string, card: AgentCard): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const tracer = trace.getTracer(TRACER_NAME);
    await tracer.startActiveSpan('probe', async (span) => {
      const started = performance.now();
      span.setAttribute('agent_registry.key', key);
      try {
        const outcome = await this.probe(card);
        span.setAttribute('agent_registry.result', outcome.health);
        span.setAttribute('agent_registry.reason', outcome.reason);
        this.options.metrics?.probeTotal.inc({ result: outcome.health.toLowerCase() });
        this.options.metrics?.probeDuration.observe((performance.now() - started) / 1000);
        if (this.stopping.signal.aborted) return;
        const previous = this.outcomes.get(key);
        this.outcomes.set(key, outcome);
        if (previous?.health !== outcome.health) {
          this.options.logger.debug('probe', { key, health: outcome.health, reason: outcome.reason });
        }
        const want = healthFields(card.status, outcome, this.options.intervalMs);
        if (want.health !== card.status?.health || want.lastSeen !== card.status?.lastSeen)
          this.options.onChange(key);
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: describeError(error) });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  /**
   * Probes one card: for in-cluster services, the EndpointSlice cache first (no
   * ready endpoint → Unhealthy without a request; no cache → go on), then the
   * well-known card URL.
   */
  async probe(card: AgentCard): Promise<ProbeOutcome> {
    const url = card.spec.endpoints?.[0];
    const checkedAt = new Date();
    const result = (health: Health, reason: string): ProbeOutcome => ({ health, reason, url, checkedAt });
    if (!url) return result('Unknown', 'the card has no endpoint');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return result('Unknown', 'the endpoint is not a URL');
    }

    const service = serviceOfHost(parsed.hostname, this.options.clusterDomain);
    if (service && this.options.endpoints?.hasReadyEndpoints(service.namespace, service.service) === false) {
      return result('Unhealthy', `service ${service.namespace}/${service.service} has no ready endpoints`);
    }

    const target = `${url.replace(/\/+$/, '')}${WELL_KNOWN_AGENT_CARD}`;
    const signal = AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), this.stopping.signal]);
    try {
      const response = await (this.options.fetch ?? fetch)(target, {
        signal,
        headers: { accept: 'application/json' },
        redirect: 'follow',
      });
      if (!response.ok) {
        await response.body?.cancel();
        return result('Unhealthy', `GET ${WELL_KNOWN_AGENT_CARD} answered ${response.status}`);
      }
      const text = await readLimited(response, MAX_CARD_BYTES);
      if (text === undefined)
        return result('Unhealthy', `the agent card is larger than ${MAX_CARD_BYTES} bytes`);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return result('Unhealthy', 'the agent card is not JSON');
      }
      if (!isNamedObject(json)) return result('Unhealthy', 'the agent card is not an object with a name');
      // Health is whether the agent answers with a card its clients can read; the official SDKs
      // read cards that miss our own (stricter) conformance rules, so those only show in the message.
      const validation = validateA2ACard(json);
      if (!validation.valid) {
        const first = validation.issues[0];
        return result(
          'Healthy',
          `A2A ${validation.version} card with conformance issues: ${first ? `${first.path}: ${first.message}` : 'invalid'}`,
        );
      }
      return result('Healthy', `valid A2A ${validation.version} card`);
    } catch (error) {
      const timedOut = (error as { name?: string }).name === 'TimeoutError';
      return result(
        'Unhealthy',
        timedOut ? `no answer within ${this.options.timeoutMs}ms` : `unreachable: ${describeError(error)}`,
      );
    }
  }
}

function isNamedObject(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    (value as { name: string }).name !== ''
  );
}

async function readLimited(response: Response, maxBytes: number): Promise<string | undefined> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
