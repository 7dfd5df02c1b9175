import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startStreamingServer } from '@agent-registry/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { probeEndpoint, type ProbeVerdict } from '../probeEndpoint.js';
import { startAgentServer, startHangingServer, VALID_A2A_CARD } from './agentServer.js';

async function probeServing(body: (url: string) => unknown, status = 200): Promise<ProbeVerdict> {
  const agent = await startAgentServer(body, status);
  onTestFinished(() => agent.close());
  return probeEndpoint(agent.url, { timeoutMs: 2000 });
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('probeEndpoint: what a served card means for health', () => {
  it('a spec-valid card is Healthy', async () => {
    expect(await probeServing(VALID_A2A_CARD)).toEqual({ health: 'Healthy', reason: 'valid A2A 0.3.0 card' });
  });

  it('a trailing slash on the endpoint reaches the same well-known path', async () => {
    const agent = await startAgentServer();
    onTestFinished(() => agent.close());
    expect(await probeEndpoint(`${agent.url}/`, { timeoutMs: 2000 })).toMatchObject({ health: 'Healthy' });
  });

  it('a card the official clients read but our rules flag (skill without tags) is Healthy, with the issue named', async () => {
    const verdict = await probeServing((url) => ({
      name: 'probe-target',
      description: 'An agent for health probes',
      version: '1.0.0',
      supportedInterfaces: [{ url, protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
      capabilities: {},
      defaultInputModes: ['text/plain'],
      defaultOutputModes: ['text/plain'],
      skills: [{ id: 'echo', name: 'Echo', description: 'Echoes', tags: [] }],
    }));
    expect(verdict.health).toBe('Healthy');
    expect(verdict.reason).toMatch(/^A2A 1\.0 card with conformance issues: skills/);
  });

  it('JSON that is no card (no name) is Unhealthy', async () => {
    expect(await probeServing(() => ({ status: 'ok' }))).toEqual({
      health: 'Unhealthy',
      reason: 'the agent card is not an object with a name',
    });
  });

  it('a body that is not JSON is Unhealthy', async () => {
    expect(await probeServing(() => '<html>')).toEqual({
      health: 'Unhealthy',
      reason: 'the agent card is not JSON',
    });
  });

  it('an error status is Unhealthy, naming it', async () => {
    expect(await probeServing(VALID_A2A_CARD, 503)).toEqual({
      health: 'Unhealthy',
      reason: 'GET /.well-known/agent-card.json answered 503',
    });
  });

  it('a card over the size bound is Unhealthy and not read to its end', async () => {
    const server = await startStreamingServer(256, 64 * 1024); // 16 MiB, chunked
    onTestFinished(() => server.close());
    expect(await probeEndpoint(server.url, { timeoutMs: 5000, maxCardBytes: 64 * 1024 })).toEqual({
      health: 'Unhealthy',
      reason: 'the agent card is larger than 65536 bytes',
    });
    expect(server.sent()).toBeLessThan(16 * 1024 * 1024);
  });

  it('no answer within the time limit is Unhealthy', async () => {
    const hanging = await startHangingServer();
    onTestFinished(() => hanging.close());
    const started = performance.now();
    expect(await probeEndpoint(hanging.url, { timeoutMs: 150 })).toEqual({
      health: 'Unhealthy',
      reason: 'no answer within 150ms',
    });
    expect(performance.now() - started).toBeLessThan(1500);
    expect(hanging.requests()).toBe(1);
  });

  it('a refused connection is Unhealthy, naming the cause', async () => {
    const port = await closedPort();
    const verdict = await probeEndpoint(`http://127.0.0.1:${port}`, { timeoutMs: 2000 });
    expect(verdict.health).toBe('Unhealthy');
    expect(verdict.reason).toBe(`unreachable: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('an aborted signal ends the probe at once', async () => {
    const hanging = await startHangingServer();
    onTestFinished(() => hanging.close());
    const stop = new AbortController();
    const probing = probeEndpoint(hanging.url, { timeoutMs: 10_000, signal: stop.signal });
    await expect.poll(() => hanging.requests()).toBe(1);
    const started = performance.now();
    stop.abort();
    expect((await probing).health).toBe('Unhealthy');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
