import { PROBE_DEFAULTS } from '@agent-registry/agent-prober';
import type { FlagReader, FlagSpecs } from './flags.js';
import { formatDuration } from './grammar.js';

/**
 * The health-probe flags both apps take — the controller's prober and the registry's embedded store probe
 * alike — with agent-prober's defaults.
 */
export const PROBE_FLAGS = {
  'probe-interval': {
    env: 'PROBE_INTERVAL',
    kind: 'duration',
    default: formatDuration(PROBE_DEFAULTS.intervalMs),
    help: 'time between two probes of one card',
  },
  'probe-timeout': {
    env: 'PROBE_TIMEOUT',
    kind: 'duration',
    default: formatDuration(PROBE_DEFAULTS.timeoutMs),
    help: 'time limit of one probe (at most the interval)',
  },
  'probe-concurrency': {
    env: 'PROBE_CONCURRENCY',
    kind: 'int',
    default: String(PROBE_DEFAULTS.concurrency),
    help: 'probes in flight at most',
  },
} as const satisfies FlagSpecs;

export interface ProbeSettings {
  probeIntervalMs: number;
  probeTimeoutMs: number;
  probeConcurrency: number;
}

/** Reads {@link PROBE_FLAGS} with the same bounds in both apps; a timeout above the interval is a problem. */
export function readProbeFlags<S extends typeof PROBE_FLAGS>(flags: FlagReader<S>): ProbeSettings {
  const settings = {
    probeIntervalMs: flags.duration('probe-interval', 100, 24 * 3_600_000),
    probeTimeoutMs: flags.duration('probe-timeout', 10, 10 * 60_000),
    probeConcurrency: flags.int('probe-concurrency', 1, 1000),
  };
  if (
    !flags.isRejected('probe-interval') &&
    !flags.isRejected('probe-timeout') &&
    settings.probeTimeoutMs > settings.probeIntervalMs
  ) {
    flags.problem(
      undefined,
      `probe timeout (${settings.probeTimeoutMs}ms) must not exceed the probe interval (${settings.probeIntervalMs}ms)`,
    );
  }
  return settings;
}
