import { describe, expect, it } from 'vitest';
import type { Condition } from '@agent-registry/crds';
import { desiredConditions, mergeConditions, sameConditions } from '../conditions.js';

const t0 = new Date('2025-01-01T00:00:00.123Z');
const t1 = new Date('2025-01-01T01:00:00Z');

describe('conditions', () => {
  it('Ready=True and Degraded=False without diagnostics', () => {
    const [ready, degraded] = desiredConditions({ hasErrors: false, hasDiagnostics: false, message: '' }, 3);
    expect(ready).toMatchObject({ type: 'Ready', status: 'True', observedGeneration: 3 });
    expect(degraded).toMatchObject({ type: 'Degraded', status: 'False', observedGeneration: 3 });
  });

  it('Ready=False and Degraded=True (InvalidAnnotations) with error diagnostics', () => {
    const message = '1 error: metadata.annotations["x"]: bad';
    const [ready, degraded] = desiredConditions({ hasErrors: true, hasDiagnostics: true, message }, 1);
    expect(ready).toMatchObject({ status: 'False', reason: 'InvalidAnnotations', message });
    expect(degraded).toMatchObject({ status: 'True', reason: 'InvalidAnnotations', message });
  });

  it('warnings alone degrade but keep Ready', () => {
    const [ready, degraded] = desiredConditions(
      { hasErrors: false, hasDiagnostics: true, message: '1 warning' },
      1,
    );
    expect(ready?.status).toBe('True');
    expect(degraded?.status).toBe('True');
  });

  it('moves lastTransitionTime only when the status flips', () => {
    const first = mergeConditions(
      undefined,
      desiredConditions({ hasErrors: false, hasDiagnostics: false, message: '' }, 1),
      t0,
    );
    expect(first.map((c) => c.lastTransitionTime)).toEqual(['2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z']);

    // Same statuses, new generation and message: times stay.
    const same = mergeConditions(
      first,
      desiredConditions({ hasErrors: false, hasDiagnostics: false, message: '' }, 2),
      t1,
    );
    expect(same.map((c) => c.lastTransitionTime)).toEqual(['2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z']);
    expect(same[0]?.observedGeneration).toBe(2);

    // Flip to degraded: both times move.
    const flipped = mergeConditions(
      same,
      desiredConditions({ hasErrors: true, hasDiagnostics: true, message: 'x' }, 2),
      t1,
    );
    expect(flipped.map((c) => c.lastTransitionTime)).toEqual([
      '2025-01-01T01:00:00Z',
      '2025-01-01T01:00:00Z',
    ]);
  });

  it('keeps conditions of other types', () => {
    const other: Condition = {
      type: 'Custom',
      status: 'True',
      reason: 'X',
      message: '',
      lastTransitionTime: 'then',
    };
    const merged = mergeConditions(
      [other],
      desiredConditions({ hasErrors: false, hasDiagnostics: false, message: '' }, 1),
      t0,
    );
    expect(merged[0]).toEqual(other);
    expect(merged).toHaveLength(3);
  });

  it('compares condition lists regardless of order', () => {
    const list = mergeConditions(
      undefined,
      desiredConditions({ hasErrors: false, hasDiagnostics: false, message: '' }, 1),
      t0,
    );
    expect(sameConditions(list, [...list].reverse())).toBe(true);
    expect(sameConditions(list, [{ ...list[0]!, message: 'other' }, list[1]!])).toBe(false);
    expect(sameConditions(list, list.slice(1))).toBe(false);
    expect(sameConditions(undefined, [])).toBe(true);
  });
});
