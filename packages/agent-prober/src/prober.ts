import { SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { AgentCard } from '@agent-registry/crds';
import { hasHealthFields, healthFields, type ProbeOutcome } from './healthFields.js';
import { probeEndpoint, type ProbeVerdict } from './probeEndpoint.js';
import { probeOffset } from './probeOffset.js';

/** The interval, timeout and concurrency the controller and the embedded registry use unless told otherwise. */
export const PROBE_DEFAULTS = { intervalMs: 30_000, timeoutMs: 5_000, concurrency: 8 } as const;

/** The tracer of the `probe` spans when the caller names none. */
export const PROBER_TRACER_NAME = '@agent-registry/agent-prober';

/** The logging the prober does; both apps' structured loggers satisfy it as they are. */
export interface ProberLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface ProberOptions {
  /** Time between two probes of one card. */
  intervalMs: number;
  /** Time limit of one probe, body included. */
  timeoutMs: number;
  /** Probes in flight at most. */
  concurrency: number;
  /** The cards to probe, by key (`namespace/name`); read on every tick, so cards come and go freely. */
  cards: () => Iterable<readonly [string, AgentCard]>;
  /**
   * Called after a probe whose outcome would change the card's `status.health` or `status.lastSeen`
   * ({@link healthFields} of the card as it was when probed): the caller writes the status it wants.
   */
  onChange: (key: string, outcome: ProbeOutcome) => void;
  /**
   * Asked before any request, with the parsed endpoint: a verdict ends the probe there (the controller answers
   * Unhealthy for an in-cluster Service with no ready endpoint); undefined goes on to HTTP.
   */
  preflight?: (endpoint: URL, card: AgentCard) => ProbeVerdict | undefined;
  /** Called after every probe (metrics), with its duration. */
  onProbed?: (key: string, outcome: ProbeOutcome, seconds: number) => void;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Default 1 MiB. */
  maxCardBytes?: number;
  /** Default: silent. */
  logger?: ProberLogger;
  /** The tracer of the `probe` spans. Default: the global provider's `@agent-registry/agent-prober`. */
  tracer?: Tracer;
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Probes every card once per interval. Each card has a stable offset in the interval ({@link probeOffset}), so
 * probes are spread evenly instead of fired in bursts; at most `concurrency` run at once (the others wait their
 * turn, first come first served) and each is aborted after the timeout, so a hanging agent holds a slot for at
 * most the timeout and delays no one else for longer. The prober never writes a card: it keeps the latest
 * outcome per card and says when one would change the card's status.
 */
export class Prober {
  private readonly outcomes = new Map<string, ProbeOutcome>();
  /** Keys waiting or being probed: a card is never probed twice at once. */
  private readonly pending = new Set<string>();
  private readonly waiting: (readonly [string, AgentCard])[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly tickMs: number;
  private readonly tracer: Tracer;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastTick = 0;
  private stopping = new AbortController();

  constructor(private readonly options: ProberOptions) {
    if (!(options.intervalMs > 0))
      throw new RangeError(`intervalMs must be positive, got ${options.intervalMs}`);
    if (!(options.timeoutMs > 0))
      throw new RangeError(`timeoutMs must be positive, got ${options.timeoutMs}`);
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
      throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
    // Ten ticks per interval at least (a card is probed within a tenth of an interval of its offset), at most one
    // a second (the cost of a tick is a pass over the cards), never more often than every 20 ms.
    this.tickMs = Math.max(20, Math.min(1000, Math.floor(options.intervalMs / 10)));
    this.tracer = options.tracer ?? trace.getTracer(PROBER_TRACER_NAME);
  }

  /** The latest outcome for a card's current endpoint, if it was probed since this prober started. */
  outcome(key: string, url: string | undefined): ProbeOutcome | undefined {
    const outcome = this.outcomes.get(key);
    return outcome && outcome.url === url ? outcome : undefined;
  }

  /** Drops what is known of a card (it was deleted). */
  forget(key: string): void {
    this.outcomes.delete(key);
  }

  /** Probes in flight now (tests and diagnostics). */
  get inFlight(): number {
    return this.running.size;
  }

  start(): void {
    if (this.timer) return;
    this.stopping = new AbortController();
    this.lastTick = Date.now() - this.tickMs;
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref?.();
    this.tick();
  }

  /** Stops scheduling, drops waiting probes, aborts those in flight and resolves once they ended. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stopping.abort();
    for (const [key] of this.waiting.splice(0)) this.pending.delete(key);
    await Promise.allSettled([...this.running]);
  }

  private tick(): void {
    const now = Date.now();
    const window = now - this.lastTick;
    this.lastTick = now;
    const { intervalMs } = this.options;
    for (const [key, card] of this.options.cards()) {
      if (this.pending.has(key)) continue;
      const phase = (((now - probeOffset(key, intervalMs)) % intervalMs) + intervalMs) % intervalMs;
      // Due when this card's point in the interval fell inside the last tick.
      if (phase >= window) continue;
      this.pending.add(key);
      this.waiting.push([key, card]);
    }
    this.pump();
  }

  /** Starts waiting probes while slots are free. */
  private pump(): void {
    while (this.running.size < this.options.concurrency && !this.stopping.signal.aborted) {
      const next = this.waiting.shift();
      if (!next) return;
      const [key, card] = next;
      const run: Promise<void> = this.probeAndRecord(key, card)
        .catch((error: unknown) =>
          this.options.logger?.error('probe crashed', { key, error: describe(error) }),
        )
        .finally(() => {
          this.pending.delete(key);
          this.running.delete(run);
          this.pump();
        });
      this.running.add(run);
    }
  }

  private async probeAndRecord(key: string, card: AgentCard): Promise<void> {
    await this.tracer.startActiveSpan('probe', async (span) => {
      const started = performance.now();
      span.setAttribute('agent_registry.key', key);
      try {
        const outcome = await this.probe(card);
        span.setAttribute('agent_registry.result', outcome.health);
        span.setAttribute('agent_registry.reason', outcome.reason);
        this.options.onProbed?.(key, outcome, (performance.now() - started) / 1000);
        if (this.stopping.signal.aborted) return;
        const previous = this.outcomes.get(key);
        this.outcomes.set(key, outcome);
        if (previous?.health !== outcome.health) {
          this.options.logger?.debug('probe', { key, health: outcome.health, reason: outcome.reason });
        }
        if (!hasHealthFields(card.status, healthFields(card.status, outcome, this.options.intervalMs)))
          this.options.onChange(key, outcome);
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: describe(error) });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  /**
   * Probes one card's first endpoint: Unknown without a (parseable) endpoint; then the preflight, if any; then
   * {@link probeEndpoint}.
   */
  async probe(card: AgentCard): Promise<ProbeOutcome> {
    const url = card.spec.endpoints?.[0];
    const checkedAt = new Date();
    const outcome = (verdict: ProbeVerdict): ProbeOutcome => ({ ...verdict, url, checkedAt });
    if (!url) return outcome({ health: 'Unknown', reason: 'the card has no endpoint' });
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return outcome({ health: 'Unknown', reason: 'the endpoint is not a URL' });
    }
    const early = this.options.preflight?.(parsed, card);
    if (early) return outcome(early);
    return outcome(
      await probeEndpoint(url, {
        timeoutMs: this.options.timeoutMs,
        signal: this.stopping.signal,
        ...(this.options.fetch && { fetch: this.options.fetch }),
        ...(this.options.maxCardBytes !== undefined && { maxCardBytes: this.options.maxCardBytes }),
      }),
    );
  }
}
