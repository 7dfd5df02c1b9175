#!/usr/bin/env node
import { runMain } from '@agent-registry/app-shell';
import { helpText, parseConfig } from './config.js';
import { startServer } from '@agent-registry/registry-server';

/** The registry process: flags/env → store + HTTP server; SIGTERM/SIGINT → graceful exit 0. */
await runMain({
  name: 'agent-registry',
  parse: parseConfig,
  helpText,
  async start(config, logger) {
    const registry = await startServer({ ...config, logger });
    const where = config.store === 'embedded' ? ` from ${config.manifests}` : '';
    const count = registry.store.size;
    process.stdout.write(
      `Agent Registry listening on ${registry.url} (${config.store} store, ${count} card${count === 1 ? '' : 's'}${where})\n`,
    );
    return { stop: () => registry.close() };
  },
});
