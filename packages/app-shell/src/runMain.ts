import { ConfigError } from './configError.js';
import { createLogger, type Logger, type LogLevel } from './logger.js';
import { startTelemetry } from './telemetry.js';

/** A started service: what `runMain` stops on SIGTERM/SIGINT. */
export interface Service {
  stop(): Promise<void>;
}

export interface MainOptions<C extends { logLevel: LogLevel }> {
  /** Program name: the prefix of fatal messages, the `component` of log lines and the default service name. */
  name: string;
  /** Parses argv and the environment; throws ConfigError on bad input. */
  parse: (argv: readonly string[], env: NodeJS.ProcessEnv) => { help: true } | { help: false; config: C };
  helpText: () => string;
  start: (config: C, logger: Logger) => Promise<Service>;
  /** Longest graceful stop before exiting anyway. Default 30 s. */
  shutdownTimeoutMs?: number;
}

/**
 * The one `main` of both apps: configuration (exit 2 on a ConfigError, help on
 * stdout), a logger, telemetry, the service; SIGTERM/SIGINT stop it gracefully
 * (exit 0), a second signal or a stuck stop exits 1.
 */
export async function runMain<C extends { logLevel: LogLevel }>(options: MainOptions<C>): Promise<void> {
  const exit = (code: number): never => process.exit(code);
  try {
    let parsed;
    try {
      parsed = options.parse(process.argv.slice(2), process.env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      process.stderr.write(`${options.name}: ${error.message}\n\nRun with --help for the flags.\n`);
      return exit(2);
    }
    if (parsed.help) {
      const help = options.helpText();
      process.stdout.write(help.endsWith('\n') ? help : `${help}\n`);
      return exit(0);
    }
    const { config } = parsed;
    const logger = createLogger({ level: config.logLevel, fields: { component: options.name } });
    const telemetry = await startTelemetry({ serviceName: options.name, logger });
    let service: Service;
    try {
      service = await options.start(config, logger);
    } catch (error) {
      logger.error('could not start', { error });
      await telemetry.shutdown();
      return exit(1);
    }
    process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { error: reason }));
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        logger.warn('second signal: exiting now', { signal });
        exit(1);
      }
      stopping = true;
      logger.info('shutting down', { signal });
      const force = setTimeout(() => {
        logger.error('shutdown took too long; exiting');
        exit(1);
      }, options.shutdownTimeoutMs ?? 30_000);
      force.unref();
      service
        .stop()
        .then(() => telemetry.shutdown())
        .then(
          () => exit(0),
          (error: unknown) => {
            logger.error('shutdown failed', { error });
            exit(1);
          },
        );
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  } catch (error) {
    process.stderr.write(
      `${options.name}: fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    exit(1);
  }
}
