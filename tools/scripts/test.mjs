#!/usr/bin/env node
// The project's one test command (`npm test`): makes the envtest control-plane
// binaries available (building them from Go modules once, then cached), runs
// every project's tests through Nx, and prints one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const env = { ...process.env };
const isCI = env.CI === 'true' || env.CI === '1';

function ensureEnvtest() {
  const setup = spawnSync('bash', [join(root, 'tools/envtest/setup.sh')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const dir = setup.stdout.trim().split('\n').pop();
  if (setup.status === 0 && dir) {
    env.KUBEBUILDER_ASSETS = dir;
    return;
  }
  if (isCI) {
    console.error('envtest setup failed under CI=true: integration suites cannot run');
    process.exit(1);
  }
  console.error(
    '\n!!! envtest binaries unavailable (is Go installed?): Kubernetes integration suites will be SKIPPED. Run `npm run envtest:setup` to build them.\n',
  );
}

const resultFiles = () =>
  ['packages', 'apps', 'tools'].flatMap((group) =>
    readdirSync(join(root, group)).map((project) =>
      join(root, group, project, '.vitest-artifacts', 'results.json'),
    ),
  );

function collectResults() {
  const totals = { passed: 0, failed: 0, skipped: 0 };
  for (const file of resultFiles()) {
    if (!existsSync(file)) continue;
    const results = JSON.parse(readFileSync(file, 'utf8'));
    totals.passed += results.numPassedTests;
    totals.failed += results.numFailedTests;
    totals.skipped += results.numPendingTests + results.numTodoTests;
  }
  return totals;
}

ensureEnvtest();
// Stale reports must not count; Nx restores a cached run's report with its outputs.
for (const file of resultFiles()) rmSync(file, { force: true });
const nx = spawnSync(
  join(root, 'node_modules/.bin/nx'),
  ['run-many', '-t', 'test', '--parallel=1', '--outputStyle=static', ...process.argv.slice(2)],
  { cwd: root, env, stdio: 'inherit' },
);
const totals = collectResults();
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(nx.status ?? 1);
