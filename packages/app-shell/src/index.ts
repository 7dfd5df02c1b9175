export {
  createLogger,
  silentLogger,
  LOG_LEVELS,
  type Logger,
  type LoggerOptions,
  type LogFields,
  type LogLevel,
} from './logger.js';
export { ConfigError } from './configError.js';
export { parseBoolean, parseDuration, parseInteger, parseList, formatDuration } from './grammar.js';
export {
  FlagReader,
  readFlags,
  helpText,
  type FlagKind,
  type FlagSpec,
  type FlagSpecs,
  type HelpTextOptions,
} from './flags.js';
export { startTelemetry, type Telemetry, type TelemetryOptions } from './telemetry.js';
export { runMain, type MainOptions, type Service } from './runMain.js';
export { PROBE_FLAGS, readProbeFlags, type ProbeSettings } from './probeFlags.js';
