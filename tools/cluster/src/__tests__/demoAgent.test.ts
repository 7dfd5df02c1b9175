// The demo agent the end-to-end suite runs as pods, run here as a plain process on loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialA2ASchema, repositoryRoot } from '@agent-registry/testing';
import { freePorts } from '@agent-registry/testing/processes';

describe('examples/demo-agent', () => {
  let agent: ChildProcess;
  let url: string;

  beforeAll(async () => {
    const [port] = (await freePorts(1)) as [number];
    url = `http://127.0.0.1:${port}`;
    agent = spawn(process.execPath, [join(repositoryRoot, 'examples', 'demo-agent', 'server.mjs')], {
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), AGENT_NAME: 'echo', AGENT_SKILL: 'echo' },
      stdio: 'ignore',
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const up = await fetch(`${url}/healthz`).then(
        (response) => response.ok,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error('the demo agent did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  afterAll(() => {
    agent?.kill('SIGTERM');
  });

  it('serves its own agent card, valid against the official A2A 0.3.0 schema', async () => {
    const response = await fetch(`${url}/.well-known/agent-card.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const card = (await response.json()) as { name: string; url: string; skills: { id: string }[] };
    expect(card).toMatchObject({ name: 'echo', url: `${url}/`, skills: [{ id: 'echo' }] });
    const schema = officialA2ASchema();
    if (schema.available) expect(schema.agentCardErrors(card)).toEqual([]);
  });

  it('answers the health GET, echoes message/send and rejects the rest', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    const send = async (body: string) =>
      (await (
        await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } })
      ).json()) as {
        result?: { parts: { text: string }[] };
        error?: { code: number };
      };
    const echoed = await send(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'message/send',
        params: { message: { parts: [{ kind: 'text', text: 'hi' }] } },
      }),
    );
    expect(echoed.result?.parts[0]?.text).toBe('hi');
    expect((await send('{not json')).error?.code).toBe(-32700);
    expect((await send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tasks/get' }))).error?.code).toBe(
      -32601,
    );
  });
});
