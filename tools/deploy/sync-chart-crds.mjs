#!/usr/bin/env node
// Copies the generated CRD manifests (packages/crds/manifests/*.yaml, generated from the valibot schemas) into the
// Helm chart's crds/ directory. `--check` only reports drift (exit 1).
//
//   node tools/deploy/sync-chart-crds.mjs [--check]
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chartCrdsDir, sourceCrdsDir } from './lib/paths.mjs';
import { runGeneratorCli } from './lib/sync.mjs';

/**
 * The files the chart's crds/ directory must hold: name → content.
 * @param {string} [sourceDir]
 * @returns {Map<string, string>}
 */
export function expectedChartCrds(sourceDir = sourceCrdsDir) {
  const names = readdirSync(sourceDir)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort();
  if (names.length === 0) throw new Error(`no CRD manifests in ${sourceDir}; run \`npm run generate:crds\``);
  return new Map(names.map((name) => [name, readFileSync(join(sourceDir, name), 'utf8')]));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runGeneratorCli('Chart CRDs', [{ dir: chartCrdsDir, expected: expectedChartCrds() }]);
}
