import { describe, expect, it } from 'vitest';
import { hasHealthFields, healthFields, toTimestamp, type ProbeOutcome } from '../healthFields.js';

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
    expect(healthFields(undefined, outcome('Unhealthy', '2025-01-01T00:05:00Z'), 30_000)).toEqual({
      health: 'Unhealthy',
    });
  });
});

describe('hasHealthFields', () => {
  it('compares health and lastSeen only', () => {
    const status = { health: 'Healthy' as const, lastSeen: '2025-01-01T00:00:00Z', observedGeneration: 3 };
    expect(hasHealthFields(status, { health: 'Healthy', lastSeen: '2025-01-01T00:00:00Z' })).toBe(true);
    expect(hasHealthFields(status, { health: 'Healthy', lastSeen: '2025-01-01T00:00:30Z' })).toBe(false);
    expect(hasHealthFields(status, { health: 'Unhealthy', lastSeen: '2025-01-01T00:00:00Z' })).toBe(false);
    expect(hasHealthFields(undefined, { health: 'Unknown' })).toBe(false);
    expect(hasHealthFields({ health: 'Unknown' }, { health: 'Unknown' })).toBe(true);
  });
});

describe('toTimestamp', () => {
  it('writes whole seconds, as Kubernetes does', () => {
    expect(toTimestamp(new Date('2025-01-01T00:00:10.999Z'))).toBe('2025-01-01T00:00:10Z');
  });
});
