#!/usr/bin/env node
import { ConfigError, helpText, parseConfig } from './config.js';
import { startController } from './controller.js';
import { createLogger } from './logger.js';
import { startTelemetry } from './telemetry.js';

/** The command-line entry: configure, start, stop gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n\nRun with --help for the flags.\n`);
      process.exit(2);
    }
    throw error;
  }
  if (parsed.help) {
    process.stdout.write(helpText());
    return;
  }
  const { config } = parsed;
  const logger = createLogger({ level: config.logLevel, fields: { component: 'agent-registry-controller' } });
  const telemetry = await startTelemetry(logger);

  let controller;
  try {
    controller = await startController(config, { logger });
  } catch (error) {
    logger.error('could not start', { error });
    await telemetry.shutdown();
    process.exit(1);
  }
  logger.info('started', {
    identity: controller.identity,
    leaderElect: config.leaderElect,
    namespaces: config.namespaces.length > 0 ? config.namespaces : 'all',
  });

  let shuttingDown = false;
  const shutdown = (signal: string): void => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info('shutting down', { signal });
    // A second signal, or a stuck shutdown, ends the process anyway.
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 30_000);
    force.unref();
    controller
      .stop()
      .then(() => telemetry.shutdown())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error('shutdown failed', { error });
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { error: reason }));
}

main().catch((error: unknown) => {
  process.stderr.write(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
