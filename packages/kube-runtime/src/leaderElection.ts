import {
  CoordinationV1Api,
  V1MicroTime,
  type KubeConfig,
  type V1Lease,
  type V1LeaseSpec,
} from '@kubernetes/client-node';
import { jittered } from './backoff.js';
import { describeError, isConflict, isNotFound } from './kubeErrors.js';
import type { Logger } from './logger.js';
import { sleep } from './sleep.js';

export interface LeaderElectorOptions {
  kubeConfig: KubeConfig;
  leaseName: string;
  leaseNamespace: string;
  /** This replica's identity (pod name + random suffix). */
  identity: string;
  /** How long a lease is valid without renewal; standbys take over after it expires. */
  leaseDurationMs: number;
  /** A leader that could not renew for this long steps down. Default 2/3 of the lease duration. */
  renewDeadlineMs?: number;
  /** Time between two acquire/renew attempts. Default lease duration / 7.5 (2 s for 15 s, like client-go). */
  retryPeriodMs?: number;
  logger: Logger;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`lease request took longer than ${ms}ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const timeText = (value: unknown): string =>
  value instanceof Date ? value.toISOString() : String(value ?? '');

/** What identifies a lease record; any change means its holder is alive (or changed). */
const recordKey = (spec: V1LeaseSpec | undefined): string =>
  `${spec?.holderIdentity ?? ''}|${timeText(spec?.renewTime)}|${spec?.leaseTransitions ?? 0}`;

/**
 * Leader election on a coordination.k8s.io/v1 Lease with client-go's
 * semantics: a lease is held while its record keeps changing; expiry is
 * judged by the local time at which this replica last saw the record change
 * (never by comparing clocks with the holder); every write carries the
 * resourceVersion it read (optimistic concurrency); taking over increments
 * leaseTransitions; a leader renews every retry period and steps down when it
 * could not renew within the renew deadline; stopping releases the lease by
 * clearing holderIdentity so a standby takes over at once.
 */
export class LeaderElector {
  private readonly api: CoordinationV1Api;
  private readonly options: LeaderElectorOptions;
  private readonly leaseSeconds: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private observedRecord = '';
  private observedTime = 0;
  private observedHolder = '';
  private leading = false;
  private abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(options: LeaderElectorOptions) {
    this.options = options;
    this.api = options.kubeConfig.makeApiClient(CoordinationV1Api);
    this.leaseSeconds = Math.max(1, Math.ceil(options.leaseDurationMs / 1000));
    this.renewDeadlineMs = options.renewDeadlineMs ?? Math.round((options.leaseDurationMs * 2) / 3);
    this.retryPeriodMs = options.retryPeriodMs ?? Math.max(100, Math.round(options.leaseDurationMs / 7.5));
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** The holder this replica last saw on the lease ('' when released or unknown). */
  get currentHolder(): string {
    return this.observedHolder;
  }

  start(): void {
    if (this.loop) return;
    this.loop = this.run();
  }

  /** Stops campaigning; a leader releases the lease first. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    if (this.leading) {
      this.leading = false;
      await this.release();
      this.options.onStoppedLeading();
    }
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    let lastRenew = 0;
    while (!this.abort.signal.aborted) {
      const acquired = await this.attempt();
      if (this.abort.signal.aborted) break;
      const now = Date.now();
      if (acquired) {
        lastRenew = now;
        if (!this.leading) {
          this.leading = true;
          logger.info('became leader', { lease: this.leaseRef(), identity: this.options.identity });
          this.options.onStartedLeading();
        }
      } else if (this.leading && now - lastRenew > this.renewDeadlineMs) {
        this.leading = false;
        logger.error('lost leadership: could not renew the lease within the renew deadline', {
          lease: this.leaseRef(),
          renewDeadlineMs: this.renewDeadlineMs,
        });
        this.options.onStoppedLeading();
      }
      await sleep(
        this.leading ? this.retryPeriodMs : jittered(this.retryPeriodMs * 1.1, 0.1),
        this.abort.signal,
      );
    }
  }

  private leaseRef(): string {
    return `${this.options.leaseNamespace}/${this.options.leaseName}`;
  }

  private async attempt(): Promise<boolean> {
    try {
      return await withTimeout(this.tryAcquireOrRenew(), Math.max(this.retryPeriodMs, 1000));
    } catch (error) {
      this.options.logger.warn('lease request failed', {
        lease: this.leaseRef(),
        error: describeError(error),
      });
      return false;
    }
  }

  private spec(previous: V1LeaseSpec | undefined, now: V1MicroTime): V1LeaseSpec {
    const mine = this.leading && previous?.holderIdentity === this.options.identity;
    return {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: this.leaseSeconds,
      acquireTime: mine && previous?.acquireTime ? previous.acquireTime : now,
      renewTime: now,
      leaseTransitions: mine ? (previous?.leaseTransitions ?? 0) : (previous?.leaseTransitions ?? 0) + 1,
    };
  }

  private observe(lease: V1Lease): void {
    const key = recordKey(lease.spec);
    if (key !== this.observedRecord) {
      this.observedRecord = key;
      this.observedTime = Date.now();
      const holder = lease.spec?.holderIdentity ?? '';
      if (holder !== this.observedHolder) {
        this.observedHolder = holder;
        if (holder && holder !== this.options.identity)
          this.options.logger.info('new leader observed', { holder });
      }
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { leaseName: name, leaseNamespace: namespace, identity } = this.options;
    const now = new V1MicroTime();
    let lease: V1Lease;
    try {
      lease = await this.api.readNamespacedLease({ name, namespace });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      try {
        const created = await this.api.createNamespacedLease({
          namespace,
          body: {
            metadata: { name, namespace },
            spec: { ...this.spec(undefined, now), leaseTransitions: 0 },
          },
        });
        this.observe(created);
        return true;
      } catch (createError) {
        if (isConflict(createError)) return false; // another replica created it first
        throw createError;
      }
    }

    this.observe(lease);
    const holder = lease.spec?.holderIdentity ?? '';
    const durationMs = (lease.spec?.leaseDurationSeconds ?? this.leaseSeconds) * 1000;
    if (holder !== '' && holder !== identity && this.observedTime + durationMs > Date.now()) return false;

    try {
      const updated = await this.api.replaceNamespacedLease({
        name,
        namespace,
        body: { metadata: { ...lease.metadata, name, namespace }, spec: this.spec(lease.spec, now) },
      });
      this.observe(updated);
      return true;
    } catch (error) {
      if (isConflict(error)) return false; // someone else wrote first; re-read next round
      throw error;
    }
  }

  /** Clears holderIdentity (client-go's ReleaseOnCancel) if we still hold the lease. */
  private async release(): Promise<void> {
    const { leaseName: name, leaseNamespace: namespace, identity, logger } = this.options;
    try {
      const lease = await withTimeout(this.api.readNamespacedLease({ name, namespace }), 5000);
      if (lease.spec?.holderIdentity !== identity) return;
      const now = new V1MicroTime();
      await withTimeout(
        this.api.replaceNamespacedLease({
          name,
          namespace,
          body: {
            metadata: lease.metadata,
            spec: {
              holderIdentity: '',
              leaseDurationSeconds: 1,
              acquireTime: now,
              renewTime: now,
              leaseTransitions: lease.spec?.leaseTransitions ?? 0,
            },
          },
        }),
        5000,
      );
      logger.info('released the lease', { lease: this.leaseRef() });
    } catch (error) {
      logger.warn('could not release the lease (standbys take over when it expires)', {
        error: describeError(error),
      });
    }
  }
}
