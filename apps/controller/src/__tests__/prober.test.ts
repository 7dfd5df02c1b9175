import { describe, expect, it } from 'vitest';
import { healthFields, probeOffset, serviceOfHost, type ProbeOutcome } from '../prober.js';

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
