#!/usr/bin/env node
// Runs publint and `attw --pack --profile esm-only` on every publishable package.
// Packages must be built first (`npm run build`).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
const failures = [];

for (const dir of readdirSync(join(root, 'packages'))) {
  const pkgDir = join(root, 'packages', dir);
  const manifest = join(pkgDir, 'package.json');
  if (!existsSync(manifest)) continue;
  const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
  if (pkg.private) continue;
  for (const [tool, args] of [
    ['publint', ['--strict', pkgDir]],
    ['attw', ['--pack', '--profile', 'esm-only', pkgDir]],
  ]) {
    console.log(`\n▶ ${tool} ${pkg.name}`);
    const result = spawnSync(bin(tool), args, { stdio: 'inherit', cwd: pkgDir });
    if (result.status !== 0) failures.push(`${tool} ${pkg.name}`);
  }
}

if (failures.length > 0) {
  console.error(`\npackage checks failed: ${failures.join(', ')}`);
  process.exit(1);
}
console.log('\nall publishable packages pass publint and attw');
