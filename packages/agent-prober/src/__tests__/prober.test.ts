import type { AgentCard } from '@agent-registry/crds';
import { describe, expect, it, onTestFinished } from 'vitest';
import { healthFields, type ProbeOutcome } from '../healthFields.js';
import { probeOffset } from '../probeOffset.js';
import { Prober, type ProberOptions } from '../prober.js';
import { startAgentServer, startHangingServer, VALID_A2A_CARD } from './agentServer.js';

const card = (name: string, endpoint: string | undefined, status?: AgentCard['status']): AgentCard =>
  ({
    apiVersion: 'kagent.dev/v1alpha1',
    kind: 'AgentCard',
    metadata: { name, namespace: 'team' },
    spec: endpoint === undefined ? {} : { endpoints: [endpoint] },
    ...(status && { status }),
  }) as AgentCard;

function prober(options: Partial<ProberOptions>): Prober {
  const instance = new Prober({
    intervalMs: 1000,
    timeoutMs: 1000,
    concurrency: 4,
    cards: () => [],
    onChange: () => undefined,
    ...options,
  });
  onTestFinished(() => instance.stop());
  return instance;
}

/** A card store as the controller's or the embedded registry's: onChange writes the health fields back. */
function store(cards: AgentCard[], intervalMs: number) {
  const byKey = new Map(cards.map((c) => [`team/${c.metadata.name}`, c]));
  const changes: { key: string; health: string | undefined }[] = [];
  return {
    byKey,
    changes,
    cards: () => byKey.entries(),
    onChange(key: string, outcome: ProbeOutcome) {
      const current = byKey.get(key) as AgentCard;
      const status = { ...current.status, ...healthFields(current.status, outcome, intervalMs) };
      byKey.set(key, { ...current, status });
      changes.push({ key, health: status.health });
    },
  };
}

describe('Prober.probe', () => {
  it('probes the first endpoint; a card without a usable endpoint is Unknown, without a request', async () => {
    const agent = await startAgentServer();
    onTestFinished(() => agent.close());
    const p = prober({});
    expect(await p.probe(card('a', agent.url))).toMatchObject({
      health: 'Healthy',
      reason: 'valid A2A 0.3.0 card',
      url: agent.url,
    });
    expect(await p.probe(card('b', undefined))).toMatchObject({
      health: 'Unknown',
      reason: 'the card has no endpoint',
    });
    expect(await p.probe(card('c', 'not a url'))).toMatchObject({
      health: 'Unknown',
      reason: 'the endpoint is not a URL',
    });
    expect(agent.requests()).toBe(1);
  });

  it('a preflight verdict ends the probe without a request; no verdict goes on to HTTP', async () => {
    const agent = await startAgentServer();
    onTestFinished(() => agent.close());
    const seen: string[] = [];
    const p = prober({
      preflight: (endpoint) => {
        seen.push(endpoint.hostname);
        return endpoint.pathname === '/down'
          ? { health: 'Unhealthy', reason: 'no ready endpoints' }
          : undefined;
      },
    });
    expect(await p.probe(card('a', `${agent.url}/down`))).toMatchObject({
      health: 'Unhealthy',
      reason: 'no ready endpoints',
    });
    expect(agent.requests()).toBe(0);
    expect(await p.probe(card('b', agent.url))).toMatchObject({ health: 'Healthy' });
    expect(agent.requests()).toBe(1);
    expect(seen).toEqual(['127.0.0.1', '127.0.0.1']);
  });
});

describe('Prober schedule', () => {
  it('probes each card once per interval, at its own offset in the interval', async () => {
    const agent = await startAgentServer();
    onTestFinished(() => agent.close());
    const intervalMs = 2000;
    const cards = Array.from({ length: 10 }, (_, i) => card(`agent-${i}`, agent.url));
    const s = store(cards, intervalMs);
    const probed = new Map<string, number[]>();
    const p = prober({
      intervalMs,
      cards: s.cards,
      onChange: s.onChange,
      onProbed: (key) => probed.set(key, [...(probed.get(key) ?? []), Date.now()]),
    });
    p.start();
    await new Promise((resolve) => setTimeout(resolve, intervalMs + 300));
    await p.stop();
    const tickMs = intervalMs / 10;
    for (const [key] of s.byKey) {
      const times = probed.get(key) ?? [];
      // Once per interval (the run is one interval and a bit: one probe, or two for an offset near the start).
      expect(times.length, key).toBeGreaterThanOrEqual(1);
      expect(times.length, key).toBeLessThanOrEqual(2);
      // At its offset: the probe ended within a tick (plus a loaded machine's slack) after its point in the interval.
      const late = (((times[0]! - probeOffset(key, intervalMs)) % intervalMs) + intervalMs) % intervalMs;
      expect(late, key).toBeLessThan(tickMs + 300);
    }
    // Spread: ten cards are not probed together.
    const first = [...probed.values()].map((times) => times[0]!);
    expect(Math.max(...first) - Math.min(...first)).toBeGreaterThan(intervalMs / 4);
    expect(s.changes.filter((c) => c.health === 'Healthy').length).toBeGreaterThanOrEqual(10);
  });

  it('keeps probing on schedule: about one probe per card per interval', async () => {
    const agent = await startAgentServer();
    onTestFinished(() => agent.close());
    const cards = [card('a', agent.url), card('b', agent.url), card('c', agent.url)];
    const s = store(cards, 300);
    const p = prober({ intervalMs: 300, cards: s.cards, onChange: s.onChange });
    p.start();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await p.stop();
    // Five intervals: five probes per card, give or take one at each end (and a loaded machine).
    expect(agent.requests()).toBeGreaterThanOrEqual(3 * 3);
    expect(agent.requests()).toBeLessThanOrEqual(3 * 7);
  });

  it('runs at most `concurrency` probes at once; a hanging agent holds a slot only for the timeout', async () => {
    const hanging = await startHangingServer();
    onTestFinished(() => hanging.close());
    let inFlight = 0;
    let maxInFlight = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight -= 1;
      }
    };
    const cards = Array.from({ length: 6 }, (_, i) => card(`hang-${i}`, hanging.url));
    const s = store(cards, 100);
    let maxSlots = 0;
    const p = prober({
      intervalMs: 100, // every card is due again long before its probe times out
      timeoutMs: 300,
      concurrency: 2,
      fetch: countingFetch,
      cards: s.cards,
      onChange: s.onChange,
      onProbed: () => (maxSlots = Math.max(maxSlots, p.inFlight)),
    });
    p.start();
    // First come, first served: all six get their turn, two at a time, each ended by the timeout.
    await expect
      .poll(() => new Set(s.changes.map((c) => c.key)).size, { timeout: 5000, interval: 50 })
      .toBe(6);
    await p.stop();
    expect(maxInFlight).toBe(2);
    expect(maxSlots).toBeLessThanOrEqual(2);
    expect(s.changes.every((c) => c.health === 'Unhealthy')).toBe(true);
    expect(p.outcome('team/hang-0', hanging.url)?.reason).toBe('no answer within 300ms');
  });

  it('says a card changed only when its health fields would change', async () => {
    const agent = await startAgentServer(VALID_A2A_CARD);
    onTestFinished(() => agent.close());
    const s = store([card('a', agent.url)], 200);
    let probes = 0;
    const p = prober({
      intervalMs: 200,
      timeoutMs: 150,
      cards: s.cards,
      onChange: s.onChange,
      onProbed: () => (probes += 1),
    });
    p.start();
    await expect.poll(() => s.byKey.get('team/a')?.status?.health, { timeout: 5000 }).toBe('Healthy');
    const lastSeen = s.byKey.get('team/a')?.status?.lastSeen;
    expect(lastSeen).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await agent.close();
    await expect.poll(() => s.byKey.get('team/a')?.status?.health, { timeout: 5000 }).toBe('Unhealthy');
    // Unhealthy keeps the last time the agent was seen; later Unhealthy probes change nothing.
    expect(s.byKey.get('team/a')?.status?.lastSeen).toBeDefined();
    const changes = s.changes.length;
    const after = probes;
    await expect.poll(() => probes - after, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    expect(s.changes.length).toBe(changes);
    expect(p.outcome('team/a', agent.url)?.reason).toMatch(/^unreachable: connect ECONNREFUSED/);
    // An outcome is for the URL probed: a card whose endpoint moved has none yet.
    expect(p.outcome('team/a', 'http://elsewhere')).toBeUndefined();
    p.forget('team/a');
    expect(p.outcome('team/a', agent.url)).toBeUndefined();
  });

  it('stop() aborts probes in flight at once and reports nothing after', async () => {
    const hanging = await startHangingServer();
    onTestFinished(() => hanging.close());
    let changes = 0;
    const p = prober({
      intervalMs: 100,
      timeoutMs: 10_000,
      cards: () => [['team/hang', card('hang', hanging.url)]],
      onChange: () => (changes += 1),
    });
    p.start();
    await expect.poll(() => hanging.requests(), { timeout: 5000 }).toBe(1);
    const started = performance.now();
    await p.stop();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(p.inFlight).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hanging.requests()).toBe(1);
    expect(changes).toBe(0);
  });

  it('refuses settings it cannot keep', () => {
    const base = {
      intervalMs: 1000,
      timeoutMs: 100,
      concurrency: 1,
      cards: () => [],
      onChange: () => undefined,
    };
    expect(() => new Prober({ ...base, concurrency: 0 })).toThrow(RangeError);
    expect(() => new Prober({ ...base, concurrency: 1.5 })).toThrow(RangeError);
    expect(() => new Prober({ ...base, intervalMs: 0 })).toThrow(RangeError);
    expect(() => new Prober({ ...base, timeoutMs: Number.NaN })).toThrow(RangeError);
  });
});
