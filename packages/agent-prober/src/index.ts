export {
  Prober,
  PROBE_DEFAULTS,
  PROBER_TRACER_NAME,
  type ProberLogger,
  type ProberOptions,
} from './prober.js';
export {
  probeEndpoint,
  DEFAULT_MAX_CARD_BYTES,
  WELL_KNOWN_AGENT_CARD,
  type ProbeEndpointOptions,
  type ProbeVerdict,
} from './probeEndpoint.js';
export { healthFields, hasHealthFields, toTimestamp, type ProbeOutcome } from './healthFields.js';
export { probeOffset } from './probeOffset.js';
