import {
  hasHealthFields,
  healthFields,
  Prober,
  PROBE_DEFAULTS,
  type ProberLogger,
  type ProbeOutcome,
} from '@agent-registry/agent-prober';
import type { AgentCard } from '@agent-registry/crds';
import { keyOf } from './cardFields.js';

/** How the embedded store probes; each unset value is the controller's default (`PROBE_DEFAULTS`). */
export interface ProbeSettings {
  /** Time between two probes of one card. Default 30 s. */
  intervalMs?: number;
  /** Time limit of one probe. Default 5 s. */
  timeoutMs?: number;
  /** Probes in flight at most. Default 8. */
  concurrency?: number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

/** The cards a {@link CardProbes} reads and writes: the store's served cards, by key (`namespace/name`). */
export interface ProbedCards {
  all(): Iterable<AgentCard>;
  get(key: string): AgentCard | undefined;
  /** Serves `card` in place of the one of its key (a watch event follows). */
  replace(card: AgentCard): void;
}

/**
 * Live health where no controller writes it: every served card with an endpoint is probed as the controller
 * probes it (`@agent-registry/agent-prober`: interval, spread, timeout, concurrency), and its
 * `status.health` and `status.lastSeen` follow the probes — the same fields, by the same rules
 * (`healthFields`), so a card reads the same in both modes. A card is replaced only when those fields
 * change, so a watch sees one event per change (for a healthy agent, `lastSeen` moves once per interval).
 * Before a card's first probe, and for a card without an endpoint, its file's health stands.
 */
export class CardProbes {
  readonly intervalMs: number;
  private readonly prober: Prober;

  constructor(
    settings: ProbeSettings,
    private readonly cards: ProbedCards,
    logger?: ProberLogger,
  ) {
    this.intervalMs = settings.intervalMs ?? PROBE_DEFAULTS.intervalMs;
    this.prober = new Prober({
      intervalMs: this.intervalMs,
      timeoutMs: settings.timeoutMs ?? PROBE_DEFAULTS.timeoutMs,
      concurrency: settings.concurrency ?? PROBE_DEFAULTS.concurrency,
      ...(settings.fetch && { fetch: settings.fetch }),
      ...(logger && { logger }),
      cards: () => this.probed(),
      onChange: (key, outcome) => this.record(key, outcome),
    });
  }

  start(): void {
    this.prober.start();
  }

  /** Stops probing; probes in flight are aborted and change nothing. */
  stop(): Promise<void> {
    return this.prober.stop();
  }

  /**
   * The card to serve for a card just read from a file: its health fields from the latest probe of its
   * current endpoint, if any (an outcome for an endpoint the file no longer names is ignored). `previous`,
   * the card served until now, keeps `lastSeen` moving at most once per interval across file reloads.
   */
  served(card: AgentCard, previous: AgentCard | undefined): AgentCard {
    const outcome = this.prober.outcome(keyOf(card), card.spec.endpoints?.[0]);
    if (!outcome) return card;
    const lastSeen = previous?.status?.lastSeen;
    const observed = lastSeen ? { ...card.status, lastSeen } : card.status;
    const want = healthFields(observed, outcome, this.intervalMs);
    return hasHealthFields(card.status, want) ? card : { ...card, status: { ...card.status, ...want } };
  }

  /** Drops what is known of a card that is no longer served. */
  forget(key: string): void {
    this.prober.forget(key);
  }

  private *probed(): Iterable<readonly [string, AgentCard]> {
    for (const card of this.cards.all()) if (card.spec.endpoints?.[0]) yield [keyOf(card), card];
  }

  private record(key: string, outcome: ProbeOutcome): void {
    const card = this.cards.get(key);
    // Gone, or its endpoint changed while it was probed: the next probe is of the card as it is now.
    if (!card || card.spec.endpoints?.[0] !== outcome.url) return;
    const want = healthFields(card.status, outcome, this.intervalMs);
    if (!hasHealthFields(card.status, want))
      this.cards.replace({ ...card, status: { ...card.status, ...want } });
  }
}
