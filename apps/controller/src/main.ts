#!/usr/bin/env node
import { runMain } from '@agent-registry/app-shell';
import { helpText, parseConfig } from './config.js';
import { startController } from './controller.js';
import { TRACER_NAME } from './tracing.js';

await runMain({
  name: TRACER_NAME,
  parse: parseConfig,
  helpText,
  async start(config, logger) {
    const controller = await startController(config, { logger });
    logger.info('started', {
      identity: controller.identity,
      leaderElect: config.leaderElect,
      namespaces: config.namespaces.length > 0 ? config.namespaces : 'all',
    });
    return controller;
  },
});
