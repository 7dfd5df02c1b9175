import type { AgentCard } from '@agent-registry/crds';
import { silentLogger } from '@agent-registry/app-shell';
import { describe, expect, it, onTestFinished } from 'vitest';
import { healthFields, probeOffset, Prober, serviceOfHost, type ProbeOutcome } from '../prober.js';
import { startAgentServer, VALID_A2A_CARD } from '../testing.js';

const outcome = (health: ProbeOutcome['health'], at: string): ProbeOutcome => ({
  health,
  reason: '',
  url: 'http://x',
  checkedAt: new Date(at),
});

describe('healthFields', () => {
  it('is Unknown before the first probe and keeps what the card says', () => {
    expect(healthFields(undefined, undefined, 30_000)).toEqual({ health: 'Unknown' });
    expect(healthFields({ health: 'Healthy', lastSeen: '2025-01-01T00:00:00Z' }, undefined, 30_000)).toEqual({
      health: 'Healthy',
      lastSeen: '2025-01-01T00:00:00Z',
    });
  });

  it('moves lastSeen at most once per interval', () => {
    const observed = { health: 'Healthy' as const, lastSeen: '2025-01-01T00:00:00Z' };
    expect(healthFields(observed, outcome('Healthy', '2025-01-01T00:00:10Z'), 30_000).lastSeen).toBe(
      '2025-01-01T00:00:00Z',
    );
    expect(healthFields(observed, outcome('Healthy', '2025-01-01T00:00:30Z'), 30_000).lastSeen).toBe(
      '2025-01-01T00:00:30Z',
    );
    expect(healthFields(undefined, outcome('Healthy', '2025-01-01T00:00:10.500Z'), 30_000)).toEqual({
      health: 'Healthy',
      lastSeen: '2025-01-01T00:00:10Z',
    });
  });

  it('keeps the last lastSeen when the agent turns unhealthy', () => {
    const observed = { health: 'Healthy' as const, lastSeen: '2025-01-01T00:00:00Z' };
    expect(healthFields(observed, outcome('Unhealthy', '2025-01-01T00:05:00Z'), 30_000)).toEqual({
      health: 'Unhealthy',
      lastSeen: '2025-01-01T00:00:00Z',
    });
  });
});

describe('serviceOfHost', () => {
  it('recognises <service>.<namespace>.svc.<domain>', () => {
    expect(serviceOfHost('agent.team-a.svc.cluster.local', 'cluster.local')).toEqual({
      service: 'agent',
      namespace: 'team-a',
    });
    expect(serviceOfHost('Agent.Team.SVC.example.org.', 'example.org')).toEqual({
      service: 'agent',
      namespace: 'team',
    });
  });

  it('ignores other hosts', () => {
    expect(serviceOfHost('127.0.0.1', 'cluster.local')).toBeUndefined();
    expect(serviceOfHost('agent.example.com', 'cluster.local')).toBeUndefined();
    expect(serviceOfHost('a.b.c.svc.cluster.local', 'cluster.local')).toBeUndefined();
    expect(serviceOfHost('agent.team.svc.other.local', 'cluster.local')).toBeUndefined();
  });
});

describe('probeOffset', () => {
  it('is stable, inside the interval, and spreads keys', () => {
    const interval = 30_000;
    const offsets = Array.from({ length: 1000 }, (_, i) => probeOffset(`ns/agent-${i}`, interval));
    expect(probeOffset('ns/agent-1', interval)).toBe(offsets[1]);
    expect(offsets.every((o) => o >= 0 && o < interval)).toBe(true);
    // Ten equal buckets of the interval each get a fair share (no bursts).
    const buckets = new Array(10).fill(0) as number[];
    for (const offset of offsets)
      buckets[Math.floor(offset / 3000)] = (buckets[Math.floor(offset / 3000)] ?? 0) + 1;
    expect(Math.min(...buckets)).toBeGreaterThan(60);
    expect(Math.max(...buckets)).toBeLessThan(140);
  });
});

describe('Prober.probe: what a served card means for health', () => {
  async function probeServing(card: (url: string) => unknown): Promise<ProbeOutcome> {
    const agent = await startAgentServer(card);
    onTestFinished(() => agent.close());
    const prober = new Prober({
      intervalMs: 1000,
      timeoutMs: 2000,
      concurrency: 1,
      clusterDomain: 'cluster.local',
      logger: silentLogger,
      cards: () => [],
      onChange: () => undefined,
    });
    return prober.probe({
      metadata: { name: 'agent', namespace: 'team' },
      spec: { endpoints: [agent.url] },
    } as AgentCard);
  }

  it('a spec-valid card is Healthy', async () => {
    expect(await probeServing(VALID_A2A_CARD)).toMatchObject({
      health: 'Healthy',
      reason: 'valid A2A 0.3.0 card',
    });
  });

  it('a card the official clients read but our rules flag (skill without tags) is Healthy, with the issue named', async () => {
    const outcome = await probeServing((url) => ({
      name: 'probe-target',
      description: 'An agent for health probes',
      version: '1.0.0',
      supportedInterfaces: [{ url, protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
      capabilities: {},
      defaultInputModes: ['text/plain'],
      defaultOutputModes: ['text/plain'],
      skills: [{ id: 'echo', name: 'Echo', description: 'Echoes', tags: [] }],
    }));
    expect(outcome.health).toBe('Healthy');
    expect(outcome.reason).toMatch(/^A2A 1\.0 card with conformance issues: skills/);
  });

  it('JSON that is no card (no name) is Unhealthy', async () => {
    expect(await probeServing(() => ({ status: 'ok' }))).toMatchObject({
      health: 'Unhealthy',
      reason: 'the agent card is not an object with a name',
    });
  });
});
