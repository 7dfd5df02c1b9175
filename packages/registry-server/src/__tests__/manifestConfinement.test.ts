import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@agent-registry/kube-runtime';
import { startServer, type RunningServer } from '../server.js';
import { API, card, json } from './helpers.js';

/** Content that must never leave the files it is in: not in a response, not in a log line. */
const SECRET = 'root:x:0:0:SECRET-7f3a9c';
const OUTSIDE_CARD = card('outside', 'smuggled', 'served from outside the directory');

type Problem = { file: string; message: string; line?: number; column?: number; namespace?: string };

describe('finding 1: manifest reading is confined to the directory and never quotes a file', () => {
  let root: string;
  let dir: string;
  let server: RunningServer;
  const logs: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'registry-confinement-'));
    dir = join(root, 'manifests');
    const outside = join(root, 'elsewhere');
    await mkdir(join(dir, 'sub'), { recursive: true });
    await mkdir(outside);
    await writeFile(join(outside, 'passwd'), `${SECRET}\ndaemon:x:1:1::/usr/sbin:/bin/sh\n`);
    await writeFile(join(outside, 'card.yaml'), OUTSIDE_CARD);
    // The reproduction: symlinks to files outside the directory, as JSON and as YAML.
    await symlink(join(outside, 'passwd'), join(dir, 'x.json'));
    await symlink(join(outside, 'passwd'), join(dir, 'x.yaml'));
    await symlink(join(outside, 'card.yaml'), join(dir, 'valid-elsewhere.yaml'));
    await symlink('/etc/passwd', join(dir, 'etc.json'));
    await symlink(join(root, 'missing.yaml'), join(dir, 'dangling.yaml'));
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    // Allowed: a regular file, and a symlink to one inside (how ConfigMap volumes look).
    await writeFile(join(dir, 'sub', 'inside.yaml'), card('team', 'inside', 'a card inside'));
    await symlink(join(dir, 'sub', 'inside.yaml'), join(dir, 'linked.yaml'));
    await writeFile(join(dir, 'sub', 'second.yaml'), card('team', 'second', 'another card'));
    // Bad files inside the directory must not be quoted either.
    await writeFile(join(dir, 'broken.json'), `{"kind": "AgentCard", "x": ${SECRET}}`);
    await writeFile(join(dir, 'broken.yaml'), `apiVersion: v1\nkind: List\n  apiVersion: ${SECRET}\n`);
    await writeFile(
      join(dir, 'wrong-type.yaml'),
      `apiVersion: kagent.dev/v1alpha1\nkind: AgentCard\nmetadata: {name: typed, namespace: team}\nspec:\n  endpoints: [{url: 5}]\n  metadata: {description: "${SECRET}"}\n`,
    );
    await writeFile(join(dir, 'unknown-kind.yaml'), `apiVersion: "${SECRET}"\nkind: "${SECRET}"\n`);
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      manifests: dir,
      rateLimit: 0,
      ui: false,
      exposeProblems: true,
      logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
    });
  });
  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  const get = (path: string) => fetch(`${server.url}${path}`);

  it('serves only the cards of files inside the directory', async () => {
    const list = await json<{ items: { metadata: { namespace: string; name: string } }[] }>(
      await get(`${API}/cards`),
    );
    expect(list.items.map((item) => `${item.metadata.namespace}/${item.metadata.name}`).sort()).toEqual([
      'team/inside',
      'team/second',
    ]);
    expect((await get(`${API}/cards/outside/smuggled`)).status).toBe(404);
  });

  it('reports each skipped entry by name and reason only', async () => {
    const problems = (await json<{ items: Problem[] }>(await get(`${API}/problems`))).items;
    const byFile = new Map(problems.map((problem) => [problem.file, problem.message]));
    for (const file of ['x.json', 'x.yaml', 'valid-elsewhere.yaml', 'etc.json']) {
      expect(byFile.get(file), file).toBe('a symlink to outside the manifests directory; not read');
    }
    expect(byFile.get('dangling.yaml')).toMatch(/resolves to nothing/);
    expect(byFile.get('pipe.yaml')).toBe('not a regular file; not read');
    expect(byFile.has('linked.yaml')).toBe(false);
  });

  it('names file, line and column of a parse error, and the rule, without the text', async () => {
    const problems = (await json<{ items: Problem[] }>(await get(`${API}/problems`))).items;
    const yaml = problems.find((problem) => problem.file === 'broken.yaml');
    expect(yaml).toMatchObject({ file: 'broken.yaml', line: 2, column: 7 });
    expect(yaml?.message).toMatch(/^invalid YAML: .+\([A-Z_]+\)$/);
    const jsonProblem = problems.find((problem) => problem.file === 'broken.json');
    expect(jsonProblem).toMatchObject({ message: 'invalid JSON', line: 1, column: 28 });
    const typed = problems.find((problem) => problem.file === 'wrong-type.yaml');
    expect(typed).toMatchObject({ namespace: 'team' });
    expect(typed?.message).not.toMatch(/received/);
  });

  it('quotes no file content in any response or log line', async () => {
    const bodies = await Promise.all(
      ['/readyz', '/healthz', `${API}/problems`, `${API}/cards`, '/metrics', '/openapi.json'].map(
        async (path) => (await get(path)).text(),
      ),
    );
    for (const text of [...bodies, ...logs]) {
      expect(text).not.toContain('SECRET-7f3a9c');
      expect(text).not.toContain('root:x:0:0');
      expect(text).not.toContain('daemon:x');
      expect(text).not.toContain(root); // not even where the directory is
    }
    // ...and the log does carry the problems, by name.
    expect(logs.some((line) => line.includes('"file":"x.json"'))).toBe(true);
    expect(logs.some((line) => line.includes('"file":"broken.yaml"'))).toBe(true);
  });
});

describe('finding 2: /readyz says ready or not; problems need a token and respect visibility', () => {
  let root: string;
  let server: RunningServer;
  const ADMIN = 'admin-token-0123456789abcdef';
  const TEAM = 'team-token-0123456789abcdef';

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'registry-problems-'));
    const dir = join(root, 'manifests');
    await mkdir(dir);
    await writeFile(join(dir, 'a.yaml'), card('team-a', 'agent', 'first'));
    await writeFile(join(dir, 'b.yaml'), card('team-a', 'agent', 'a duplicate of a.yaml'));
    await writeFile(join(dir, 'hidden.yaml'), card('team-hidden', 'agent', 'first'));
    await writeFile(join(dir, 'hidden-dup.yaml'), card('team-hidden', 'agent', 'a duplicate'));
    await writeFile(join(dir, 'unparsable.yaml'), 'kind: [\n');
    const tokens = join(root, 'tokens.yaml');
    await writeFile(
      tokens,
      `tokens:\n  - {name: admin, token: ${ADMIN}, namespaces: ['*']}\n  - {name: team, token: ${TEAM}, namespaces: [team-a]}\n`,
    );
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      manifests: dir,
      rateLimit: 0,
      ui: false,
      auth: 'token',
      tokensFile: tokens,
      logger: createLogger({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  const get = (path: string, token?: string) =>
    fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('/readyz is public and says only ready or not', async () => {
    const response = await get('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('the problems endpoint needs a token', async () => {
    const response = await get(`${API}/problems`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
  });

  it('a namespace-limited token sees its namespaces only, and no file-level problem', async () => {
    const body = await (await get(`${API}/problems`, TEAM)).text();
    const problems = (JSON.parse(body) as { items: Problem[] }).items;
    expect(problems.map((problem) => problem.file)).toEqual(['b.yaml']);
    expect(body).not.toContain('team-hidden');
    expect(body).not.toContain('hidden');
    expect(body).not.toContain('unparsable');
  });

  it('an all-namespaces token sees every problem, file-level ones included', async () => {
    const problems = (await json<{ items: Problem[] }>(await get(`${API}/problems`, ADMIN))).items;
    expect(problems.map((problem) => problem.file).sort()).toEqual([
      'b.yaml',
      'hidden.yaml', // after hidden-dup.yaml in path order: the duplicate
      'unparsable.yaml',
    ]);
  });

  it('with --auth=none the endpoint is off unless --expose-problems', async () => {
    const open = await startServer({
      host: '127.0.0.1',
      port: 0,
      manifests: join(root, 'manifests'),
      rateLimit: 0,
      ui: false,
      logger: createLogger({ level: 'silent' }),
    });
    try {
      const response = await fetch(`${open.url}${API}/problems`);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ kind: 'Status', reason: 'NotFound' });
    } finally {
      await open.close();
    }
  });
});
