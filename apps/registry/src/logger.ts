/** Structured JSON logs, one object per line, with levels. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  isEnabled(level: LogLevel): boolean;
  /** A logger that adds `bindings` to every line. */
  child(bindings: LogFields): Logger;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

function serializeError(value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
}

export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stderr.write(line),
  bindings: LogFields = {},
): Logger {
  const log =
    (lineLevel: Exclude<LogLevel, 'silent'>) =>
    (message: string, fields: LogFields = {}): void => {
      if (rank[lineLevel] < rank[level]) return;
      const record: LogFields = {
        time: new Date().toISOString(),
        level: lineLevel,
        msg: message,
        ...bindings,
      };
      for (const [key, value] of Object.entries(fields)) record[key] = serializeError(value);
      let line: string;
      try {
        line = JSON.stringify(record);
      } catch {
        line = JSON.stringify({
          time: record.time,
          level: lineLevel,
          msg: message,
          note: 'fields not serializable',
        });
      }
      write(`${line}\n`);
    };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    isEnabled: (candidate) => rank[candidate] >= rank[level] && candidate !== 'silent',
    child: (more) => createLogger(level, write, { ...bindings, ...more }),
  };
}

export const silentLogger: Logger = createLogger('silent');
