import { validateA2ACard } from '@agent-registry/a2a-translator';
import { readBoundedText, type Health } from '@agent-registry/crds';

/** Where an A2A agent publishes its card, under its endpoint. */
export const WELL_KNOWN_AGENT_CARD = '/.well-known/agent-card.json';

/** The largest agent card a probe reads: a bigger answer is Unhealthy, not buffered. */
export const DEFAULT_MAX_CARD_BYTES = 1024 * 1024;

/** A health and why, in a few words. */
export interface ProbeVerdict {
  health: Health;
  reason: string;
}

export interface ProbeEndpointOptions {
  /** Time limit of the whole probe, body included. */
  timeoutMs: number;
  /** Aborts the probe early (the prober stopping). */
  signal?: AbortSignal;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Default {@link DEFAULT_MAX_CARD_BYTES}. */
  maxCardBytes?: number;
}

/**
 * One probe of one agent endpoint: `GET <endpoint>/.well-known/agent-card.json` must answer, within the time
 * limit, 2xx with a JSON object that has a name. Healthy is whether the agent answers with a card its clients can
 * read: the official SDKs read cards that miss our own (stricter) conformance rules, so those issues only show in
 * the reason. Never throws.
 */
export async function probeEndpoint(endpoint: string, options: ProbeEndpointOptions): Promise<ProbeVerdict> {
  const verdict = (health: Health, reason: string): ProbeVerdict => ({ health, reason });
  const maxBytes = options.maxCardBytes ?? DEFAULT_MAX_CARD_BYTES;
  const target = `${endpoint.replace(/\/+$/, '')}${WELL_KNOWN_AGENT_CARD}`;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    const response = await (options.fetch ?? fetch)(target, {
      signal,
      headers: { accept: 'application/json' },
      redirect: 'follow',
    });
    if (!response.ok) {
      await response.body?.cancel();
      return verdict('Unhealthy', `GET ${WELL_KNOWN_AGENT_CARD} answered ${response.status}`);
    }
    const text = await readBoundedText(response, maxBytes);
    if (text === undefined) return verdict('Unhealthy', `the agent card is larger than ${maxBytes} bytes`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return verdict('Unhealthy', 'the agent card is not JSON');
    }
    if (!isNamedObject(json)) return verdict('Unhealthy', 'the agent card is not an object with a name');
    const validation = validateA2ACard(json);
    if (!validation.ok) {
      const first = validation.issues[0];
      return verdict(
        'Healthy',
        `A2A ${validation.version} card with conformance issues: ${first ? `${first.path}: ${first.message}` : 'invalid'}`,
      );
    }
    return verdict('Healthy', `valid A2A ${validation.version} card`);
  } catch (error) {
    // The time limit covers the body too: a reader aborted mid-body rejects with the same TimeoutError.
    if (timeout.aborted) return verdict('Unhealthy', `no answer within ${options.timeoutMs}ms`);
    return verdict('Unhealthy', `unreachable: ${describeFetchError(error)}`);
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

/** fetch says only "fetch failed"; the reason (`connect ECONNREFUSED 127.0.0.1:8080`) is in its cause. */
function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  const detail = cause instanceof Error ? cause.message : undefined;
  return (detail || error.message).split('\n')[0] ?? '';
}
