/** The registry logs with the apps' one structured logger (JSON lines; levels debug … error, silent). */
export {
  createLogger,
  silentLogger,
  LOG_LEVELS,
  type LogFields,
  type Logger,
  type LogLevel,
} from '@agent-registry/app-shell';
