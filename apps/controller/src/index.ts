export {
  startController,
  loadKubeConfig,
  type ControllerOptions,
  type RunningController,
} from './controller.js';
export {
  parseConfig,
  defineConfig,
  parseDuration,
  helpText,
  ConfigError,
  FLAGS,
  type ControllerConfig,
} from './config.js';
export {
  WorkQueue,
  ExponentialBackoff,
  Informer,
  delayFor,
  jittered,
  keyOf,
  type KeyHandler,
  type HandlerResult,
  type WorkQueueOptions,
  type InformerState,
  type ResourceType,
} from '@agent-registry/kube-runtime';
export { createReconciler, isManaged, type ObservedState, type ReconcileOutcome } from './reconciler.js';
export { CardClient, type WriteCounts } from './cardClient.js';
export { EventRecorder, type EventSubject } from './events.js';
export { desiredConditions, mergeConditions, READY, DEGRADED } from './conditions.js';
export {
  EndpointReadiness,
  ENDPOINT_SLICE_RESOURCE,
  SERVICE_NAME_LABEL,
  type EndpointReadinessLookup,
} from './endpointReadiness.js';
export { Prober, healthFields, probeOffset, serviceOfHost, type ProbeOutcome } from './prober.js';
export { LeaderElector, type LeaderElectorOptions } from './leaderElection.js';
export { createMetrics, type ControllerMetrics } from './metrics.js';
export { startHealthServer } from './healthServer.js';
export { createLogger, silentLogger, type Logger, type LogLevel } from './logger.js';
export { startTelemetry } from './telemetry.js';
export { SOURCE_KINDS, AGENT_CARD_RESOURCE, cardKey } from './sources.js';
