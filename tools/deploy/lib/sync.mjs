// Generated-file sync: write the expected files, or report how the files on disk differ from them.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './paths.mjs';

/**
 * Differences between the expected contents of `dir` and the disk, as human-readable lines. Only files with one
 * of `extensions` are considered part of the generated set (others in `dir` are left alone).
 * @param {string} dir
 * @param {Map<string, string>} expected file name → content
 * @param {string[]} extensions
 * @returns {string[]}
 */
export function diffGenerated(dir, expected, extensions = ['.yaml', '.yml']) {
  const problems = [];
  const show = (/** @type {string} */ name) => relative(repoRoot, join(dir, name));
  for (const [name, content] of expected) {
    const path = join(dir, name);
    if (!existsSync(path)) problems.push(`missing: ${show(name)}`);
    else if (readFileSync(path, 'utf8') !== content) problems.push(`out of date: ${show(name)}`);
  }
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      if (extensions.some((ext) => name.endsWith(ext)) && !expected.has(name))
        problems.push(`stale: ${show(name)}`);
    }
  }
  return problems;
}

/**
 * Makes `dir` hold exactly the expected generated files; returns the names it wrote or removed.
 * @param {string} dir
 * @param {Map<string, string>} expected
 * @param {string[]} extensions
 * @returns {string[]}
 */
export function writeGenerated(dir, expected, extensions = ['.yaml', '.yml']) {
  mkdirSync(dir, { recursive: true });
  const changed = [];
  for (const name of readdirSync(dir)) {
    if (extensions.some((ext) => name.endsWith(ext)) && !expected.has(name)) {
      rmSync(join(dir, name));
      changed.push(`removed ${name}`);
    }
  }
  for (const [name, content] of expected) {
    const path = join(dir, name);
    if (existsSync(path) && readFileSync(path, 'utf8') === content) continue;
    writeFileSync(path, content);
    changed.push(`wrote ${name}`);
  }
  return changed;
}

/**
 * Shared CLI of the generator scripts: `--check` reports drift and exits 1, otherwise the files are written.
 * @param {string} what
 * @param {Array<{ dir: string, expected: Map<string, string> }>} targets
 */
export function runGeneratorCli(what, targets) {
  const check = process.argv.includes('--check');
  if (check) {
    const problems = targets.flatMap(({ dir, expected }) => diffGenerated(dir, expected));
    if (problems.length > 0) {
      console.error(
        `${what} are out of date:\n  ${problems.join('\n  ')}\nRun: node ${relative(repoRoot, process.argv[1] ?? '')}`,
      );
      process.exit(1);
    }
    console.log(`${what} are up to date.`);
    return;
  }
  const changed = targets.flatMap(({ dir, expected }) =>
    writeGenerated(dir, expected).map(
      (line) => `${line.split(' ')[0]} ${relative(repoRoot, join(dir, line.split(' ')[1] ?? ''))}`,
    ),
  );
  console.log(changed.length > 0 ? changed.join('\n') : `${what} already up to date.`);
}
