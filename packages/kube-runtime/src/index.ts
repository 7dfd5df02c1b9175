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
  ExponentialBackoff,
  delayFor,
  jittered,
  DEFAULT_BACKOFF_BASE_MS,
  DEFAULT_BACKOFF_MAX_MS,
  type BackoffOptions,
} from './backoff.js';
export { Semaphore } from './semaphore.js';
export { describeError, httpStatus, isConflict, isGone, isNotFound } from './kubeErrors.js';
export { silentLogger, type LogFields, type Logger } from './logger.js';
