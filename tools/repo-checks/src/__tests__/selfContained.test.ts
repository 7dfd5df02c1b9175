import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { absoluteMachinePaths } from '../absolutePaths.js';
import { repositoryRoot, trackedFiles } from '../repository.js';

// Examples are assembled so that this file itself holds no machine path.
const path = (...parts: string[]): string => ['', ...parts].join('/');

describe('absoluteMachinePaths', () => {
  it.each([
    [
      `const schema = '${path('work', 'shared', 'spec', 'a2a.json')}';`,
      path('work', 'shared', 'spec', 'a2a.json'),
    ],
    [
      `see ${path('home', 'dev', 'notes', 'design.md')} ("Metrics")`,
      path('home', 'dev', 'notes', 'design.md'),
    ],
    [`cache: ${path('root', '.cache', 'x')}`, path('root', '.cache', 'x')],
    [`"${path('Users', 'me', 'repo')}"`, path('Users', 'me', 'repo')],
    [`tmp=${path('tmp', 'build-1', 'out')}`, path('tmp', 'build-1', 'out')],
    ['C:\\Users\\me\\repo\\file.ts', 'C:\\Users\\me\\repo\\file.ts'],
  ])('finds the path in %j', (text, found) => {
    expect(absoluteMachinePaths(text)).toEqual([{ line: 1, path: found }]);
  });

  it.each([
    `executablePath: '${path('usr', 'bin', 'chromium')}'`,
    `readFileSync('${path('proc', 'self', 'status')}')`,
    `tokens: ${path('etc', 'registry', 'tokens.yaml')}`,
    `parseConfig(['--signing-key', 'a.pem'], {}, '${path('srv')}') → ${path('srv', 'a.pem')}`,
    `${path('var', 'run', 'secrets', 'kubernetes.io', 'serviceaccount', 'token')}`,
    'WORKDIR /app',
    '~/.kube/config and ~/.cache/agent-registry/envtest',
    `https://example.com${path('home', 'index.html')}`,
    `git+https://github.com/agent-registry/agent-registry${path('tree', 'main')}`,
    `../shared${path('work', 'x')}`,
    `$HOME${path('work', 'x')}`,
    `apps${path('work', 'queue.ts')}`,
  ])('leaves %j alone', (text) => {
    expect(absoluteMachinePaths(text)).toEqual([]);
  });

  it('reports line numbers', () => {
    expect(absoluteMachinePaths(`a\nb ${path('work', 'x')}\n`)).toEqual([
      { line: 2, path: path('work', 'x') },
    ]);
  });
});

describe('the repository', () => {
  it('holds no absolute path that leads outside it, in any tracked file', () => {
    const files = trackedFiles();
    expect(files.length).toBeGreaterThan(100);
    const found: string[] = [];
    for (const file of files) {
      const full = join(repositoryRoot, file);
      let size: number;
      try {
        size = statSync(full).size;
      } catch {
        continue; // deleted in the working tree
      }
      if (size > 4 * 1024 * 1024) continue;
      const bytes = readFileSync(full);
      if (bytes.includes(0)) continue; // binary
      for (const { line, path: where } of absoluteMachinePaths(bytes.toString('utf8')))
        found.push(`${file}:${line}: ${where}`);
    }
    expect(found).toEqual([]);
  });
});
