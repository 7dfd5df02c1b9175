import { EventsV1Api, V1MicroTime, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from './logger.js';
import { describeError } from './kubeErrors.js';

/** The object an event is about. */
export interface EventSubject {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid?: string;
}

export interface EventRecorderOptions {
  kubeConfig: KubeConfig;
  /** `reportingController` of the events, e.g. `agent-registry.dev/controller`. */
  controller: string;
  /** `reportingInstance`, e.g. the pod name. */
  instance: string;
  logger: Logger;
  /** An identical event is not emitted again within this window. Default 1 hour. */
  dedupeWindowMs?: number;
  onWrite?: () => void;
}

const MAX_NOTE_BYTES = 1024;
const MAX_REMEMBERED = 10_000;

/**
 * Emits events.k8s.io/v1 Events, at most one per (object uid, type, reason,
 * note) per window, so that a resync or a probe-triggered reconcile does not
 * repeat an unchanged complaint. An event that cannot be written is logged,
 * never thrown: events are advisory.
 */
export class EventRecorder {
  private readonly api: EventsV1Api;
  private readonly sent = new Map<string, number>();
  readonly dedupeWindowMs: number;
  emitted = 0;

  constructor(private readonly options: EventRecorderOptions) {
    this.api = options.kubeConfig.makeApiClient(EventsV1Api);
    this.dedupeWindowMs = options.dedupeWindowMs ?? 3_600_000;
  }

  async emit(
    regarding: EventSubject,
    type: 'Normal' | 'Warning',
    reason: string,
    action: string,
    note: string,
  ): Promise<boolean> {
    const trimmed = truncate(note.replace(/\s+/g, ' '), MAX_NOTE_BYTES);
    const identity = `${regarding.uid ?? `${regarding.namespace}/${regarding.name}`}|${type}|${reason}|${trimmed}`;
    const now = Date.now();
    const last = this.sent.get(identity);
    if (last !== undefined && now - last < this.dedupeWindowMs) return false;
    this.remember(identity, now);
    try {
      this.options.onWrite?.();
      await this.api.createNamespacedEvent({
        namespace: regarding.namespace,
        body: {
          apiVersion: 'events.k8s.io/v1',
          kind: 'Event',
          // client-go's naming: <object>.<unix nanos in hex>; generateName would reject the trailing dot.
          metadata: { name: eventName(regarding.name), namespace: regarding.namespace },
          eventTime: new V1MicroTime(),
          reportingController: this.options.controller,
          reportingInstance: this.options.instance.slice(0, 128),
          action,
          reason,
          type,
          note: trimmed,
          regarding: {
            apiVersion: regarding.apiVersion,
            kind: regarding.kind,
            namespace: regarding.namespace,
            name: regarding.name,
            uid: regarding.uid,
          },
        },
      });
      this.emitted += 1;
      return true;
    } catch (error) {
      this.sent.delete(identity); // let a later reconcile try again
      this.options.logger.warn('could not record event', { reason, error: describeError(error) });
      return false;
    }
  }

  /** Forgets what was sent about an object (it was deleted). */
  forget(uid: string): void {
    for (const identity of this.sent.keys()) if (identity.startsWith(`${uid}|`)) this.sent.delete(identity);
  }

  private remember(identity: string, at: number): void {
    this.sent.set(identity, at);
    if (this.sent.size > MAX_REMEMBERED) {
      // Maps iterate in insertion order: drop the oldest.
      const oldest = this.sent.keys().next().value;
      if (oldest !== undefined) this.sent.delete(oldest);
    }
  }
}

function eventName(object: string): string {
  const nanos = (BigInt(Date.now()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000))).toString(
    16,
  );
  return `${object.slice(0, 253 - nanos.length - 1)}.${nanos}`;
}

function truncate(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  return `${bytes
    .subarray(0, maxBytes - 3)
    .toString('utf8')
    .replace(/\uFFFD$/, '')}…`;
}
