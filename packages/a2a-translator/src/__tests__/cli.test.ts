import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toA2ACard } from '../index.js';
import { rendered } from './rendered.js';

const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'a2a-card-'));

/** Runs the CLI as a subprocess (asynchronously, so the test's own HTTP server keeps answering). */
function run(
  args: string[],
  input?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { timeout: 50_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
function file(name: string, text: string) {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const agentCardYaml = `apiVersion: kagent.dev/v1alpha1
kind: AgentCard
metadata: {name: my-agent, namespace: default}
spec:
  capabilities: [kubernetes]
  endpoints: ['http://my-agent.default.svc.cluster.local:8080']
  metadata: {iconUrl: 'not a url'}
`;

let server: Server;
let baseUrl = '';
beforeAll(async () => {
  const card = rendered(
    toA2ACard({
      metadata: { name: 'served' },
      spec: { endpoints: ['https://served.example.com'] },
    }),
  ).card;
  server = createServer((request, response) => {
    if (request.url === '/.well-known/agent-card.json') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(card));
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

// Each case starts a process that compiles the CLI with tsx: seconds on a busy 2-core machine, so a minute each.
describe('a2a-card CLI', { timeout: 60_000 }, () => {
  it.concurrent(
    'translates multi-document YAML, skipping other kinds and reporting errors by document',
    async () => {
      const path = file(
        'cards.yaml',
        `${agentCardYaml}---\napiVersion: a2a.io/v1\nkind: Agent\nmetadata: {name: x}\nspec: {}\n---\napiVersion: kagent.dev/v1alpha1\nkind: AgentCard\nmetadata: {name: bad}\nspec: {endpoints: [ftp://x]}\n`,
      );
      const { code, stdout, stderr } = await run(['translate', path, '--a2a-version', '1.0']);
      expect(code).toBe(1);
      const card = JSON.parse(stdout) as { supportedInterfaces: { url: string }[] };
      expect(card.supportedInterfaces[0]?.url).toBe('http://my-agent.default.svc.cluster.local:8080');
      expect(stderr).toContain(
        `${path} (document 0): warning: spec.metadata.iconUrl: must be an http(s) URL; omitted`,
      );
      expect(stderr).toContain(`${path} (document 1): skipped`);
      expect(stderr).toContain(`${path} (document 2): spec.endpoints[0]: must be an http(s) URL`);
      expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
    },
  );

  it.concurrent('reads stdin and honours --base-url', async () => {
    const { code, stdout } = await run(
      ['translate', '-', '--base-url', 'https://public.example.com/a2a'],
      agentCardYaml,
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      url: 'https://public.example.com/a2a',
      protocolVersion: '0.3.0',
    });
  });

  it.concurrent('validates cards and exits non-zero with path-precise issues', async () => {
    const good = file(
      'good.json',
      JSON.stringify(
        rendered(toA2ACard({ metadata: { name: 'g' }, spec: { endpoints: ['https://g.example.com'] } })).card,
      ),
    );
    expect(await run(['validate', good])).toMatchObject({
      code: 0,
      stdout: `${good}: valid A2A 0.3.0 agent card\n`,
    });
    const bad = file('bad.json', JSON.stringify({ name: 'x', url: 'https://x', skills: [{ id: 1 }] }));
    const result = await run(['validate', bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${bad}: skills[0].id: must be a string`);
    expect((await run(['validate', file('broken.json', '{')])).stderr).toMatch(/broken\.json: not JSON/);
  });

  it.concurrent('imports a card from a URL as an AgentCard manifest', async () => {
    const { code, stdout } = await run(['import', baseUrl]);
    expect(code).toBe(0);
    const manifest = parse(stdout) as {
      kind: string;
      metadata: { name: string };
      spec: { endpoints: string[] };
    };
    expect(manifest).toMatchObject({
      kind: 'AgentCard',
      metadata: { name: 'served' },
      spec: { endpoints: ['https://served.example.com'] },
    });
    expect(await run(['import', `${baseUrl}/missing.json`])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('HTTP 404') as string,
    });
  });

  it.concurrent('explains usage errors without a stack trace', async () => {
    const result = await run(['translate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('translate: missing input');
    expect((await run(['--help'])).stdout).toContain('Usage: a2a-card');
    expect((await run(['validate', join(dir, 'nope.json')])).stderr).toBe(
      `a2a-card: ${join(dir, 'nope.json')}: cannot read (ENOENT)\n`,
    );
  });
});
