export type LogFields = Record<string, unknown>;

/** Log levels, least to most severe; `silent` logs nothing. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The logging the runtime and the registry need; any structured logger can be adapted to it. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
  /** Whether a line at `level` is written (a hot path skips building fields nobody reads); absent = always. */
  isEnabled?(level: LogLevel): boolean;
}

/** Whether `logger` writes lines at `level`. */
export const isLogEnabled = (logger: Logger, level: LogLevel): boolean => logger.isEnabled?.(level) ?? true;

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; default process.stderr (stdout stays free for `--help`). */
  write?: (line: string) => void;
  /** Fields on every line (e.g. `component`). */
  fields?: LogFields;
}

/** A logger that always answers isEnabled. */
export type LevelledLogger = Logger & {
  isEnabled(level: LogLevel): boolean;
  child(fields: LogFields): LevelledLogger;
};

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

function serializeError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const code = (value as { code?: unknown }).code;
  return {
    name: value.name,
    message: value.message,
    ...(code === undefined ? {} : { code }),
    stack: value.stack,
  };
}

/** A structured logger: one JSON object per line, `{time, level, msg, ...fields}`. */
export function createLogger(options: LoggerOptions = {}): LevelledLogger {
  const threshold = RANK[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const base = options.fields ?? {};

  const emit =
    (level: Exclude<LogLevel, 'silent'>) =>
    (message: string, fields?: LogFields): void => {
      if (RANK[level] < threshold) return;
      const record: LogFields = { time: new Date().toISOString(), level, msg: message, ...base };
      for (const [key, value] of Object.entries(fields ?? {})) record[key] = serializeError(value);
      let line: string;
      try {
        line = JSON.stringify(record);
      } catch {
        line = JSON.stringify({ time: record.time, level, msg: message, note: 'fields not serializable' });
      }
      write(`${line}\n`);
    };

  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    isEnabled: (level) => level !== 'silent' && RANK[level] >= threshold,
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

/** Drops everything: the default when no logger is given. */
export const silentLogger: LevelledLogger = createLogger({ level: 'silent' });
