/**
 * The apps log with kube-runtime's structured logger (JSON lines; levels debug … error, silent), the same
 * one the libraries accept, so a line looks alike wherever it is written.
 */
export {
  createLogger,
  silentLogger,
  LOG_LEVELS,
  type LevelledLogger as Logger,
  type LoggerOptions,
  type LogFields,
  type LogLevel,
} from '@agent-registry/kube-runtime/logger';
