export {
  Informer,
  keyOf,
  type InformerEventType,
  type InformerHandler,
  type InformerObject,
  type InformerOptions,
  type InformerState,
  type InformerStatus,
  type ResourceType,
} from './informer.js';
export { WorkQueue, type HandlerResult, type KeyHandler, type WorkQueueOptions } from './workQueue.js';
export {
  ReconcileLoop,
  RECONCILE_RESULTS,
  type Reconcile,
  type ReconcileLoopOptions,
  type ReconcileOutcome,
  type ReconcileResult,
} from './reconcileLoop.js';
export {
  ExponentialBackoff,
  delayFor,
  jittered,
  DEFAULT_BACKOFF_BASE_MS,
  DEFAULT_BACKOFF_MAX_MS,
  type BackoffOptions,
} from './backoff.js';
export { Semaphore } from './semaphore.js';
export { LeaderElector, type LeaderElectorOptions } from './leaderElection.js';
export { EventRecorder, type EventRecorderOptions, type EventSubject } from './eventRecorder.js';
export { WriteMemo } from './writeMemo.js';
export { OwnWrites } from './ownWrites.js';
export { stripManagedFields } from './stripManagedFields.js';
export {
  startHealthServer,
  type HealthServer,
  type HealthServerOptions,
  type MetricsSource,
} from './healthServer.js';
export {
  EndpointReadiness,
  ENDPOINT_SLICE_RESOURCE,
  SERVICE_NAME_LABEL,
  type EndpointReadinessLookup,
  type EndpointReadinessOptions,
  type EndpointSlice,
} from './endpointReadiness.js';
export { loadKubeConfig } from './kubeConfig.js';
export { reuseConnections } from './connectionReuse.js';
export { describeError, httpStatus, isConflict, isNotFound, isGone } from './kubeErrors.js';
export {
  createLogger,
  isLogEnabled,
  silentLogger,
  LOG_LEVELS,
  type LevelledLogger,
  type LogFields,
  type Logger,
  type LoggerOptions,
  type LogLevel,
} from './logger.js';
