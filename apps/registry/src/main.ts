#!/usr/bin/env node
import { ConfigError, helpText, parseConfig } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';
import { startTelemetry } from './telemetry.js';

/** The registry process: flags/env → store + HTTP server; SIGTERM/SIGINT → graceful exit 0. */
async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`agent-registry: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (parsed.help) {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  const { config } = parsed;
  const logger = createLogger(config.logLevel);
  const stopTelemetry = await startTelemetry(process.env, logger);
  const registry = await startServer({ ...config, logger });

  const where = config.store === 'embedded' ? ` from ${config.manifests}` : '';
  const count = registry.store.size;
  process.stdout.write(
    `Agent Registry listening on ${registry.url} (${config.store} store, ${count} card${count === 1 ? '' : 's'}${where})\n`,
  );

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        logger.warn('second signal: exiting now', { signal });
        resolve(1);
        return;
      }
      stopping = true;
      logger.info('shutting down', { signal });
      void (async () => {
        await registry.close();
        await stopTelemetry?.().catch((error: unknown) =>
          logger.warn('telemetry shutdown failed', { error }),
        );
        resolve(0);
      })();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `agent-registry: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
