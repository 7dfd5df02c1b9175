export {
  listAll,
  type CardEvent,
  type CardEventType,
  type CardPage,
  type CardQuery,
  type RegistryReader,
} from './registryReader.js';
export { REGISTRY_API_BASE } from './apiBase.js';
export { formatEventId, parseEventId, type EventId } from './eventId.js';
export { RegistryRequestError, type Status, type StatusReason } from './registryStatus.js';
export {
  createHttpRegistryReader,
  type HttpRegistryReader,
  type HttpRegistryReaderOptions,
} from './httpRegistryReader.js';
export { SseParser, type SseEvent } from './sseParser.js';
