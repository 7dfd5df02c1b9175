import type { Condition } from '@agent-registry/crds';

/** What a reconcile concluded about a card, before it becomes conditions. */
export interface CardAssessment {
  /** Error diagnostics exist: some input was rejected. */
  hasErrors: boolean;
  /** Summary of all diagnostics (errors and warnings); empty when there are none. */
  message: string;
  /** Diagnostics (of any severity) exist. */
  hasDiagnostics: boolean;
}

export const READY = 'Ready';
export const DEGRADED = 'Degraded';
export const REASON_INVALID_ANNOTATIONS = 'InvalidAnnotations';

/**
 * The `Ready` and `Degraded` conditions for an assessment: Ready is True when
 * there are no error diagnostics; Degraded is True (reason InvalidAnnotations)
 * when there are any diagnostics.
 */
export function desiredConditions(
  assessment: CardAssessment,
  observedGeneration: number | undefined,
): Omit<Condition, 'lastTransitionTime'>[] {
  const generation = observedGeneration === undefined ? {} : { observedGeneration };
  return [
    assessment.hasErrors
      ? {
          type: READY,
          status: 'False',
          reason: REASON_INVALID_ANNOTATIONS,
          message: assessment.message,
          ...generation,
        }
      : {
          type: READY,
          status: 'True',
          reason: 'CardGenerated',
          message: 'the card matches its source',
          ...generation,
        },
    assessment.hasDiagnostics
      ? {
          type: DEGRADED,
          status: 'True',
          reason: REASON_INVALID_ANNOTATIONS,
          message: assessment.message,
          ...generation,
        }
      : { type: DEGRADED, status: 'False', reason: 'AsExpected', message: '', ...generation },
  ];
}

/**
 * Merges `desired` into `existing` like apimachinery's meta.SetStatusCondition:
 * `lastTransitionTime` only moves when a condition's status flips (or the
 * condition is new); other conditions are kept in place.
 */
export function mergeConditions(
  existing: readonly Condition[] | undefined,
  desired: readonly Omit<Condition, 'lastTransitionTime'>[],
  now: Date,
): Condition[] {
  const result: Condition[] = (existing ?? []).map((c) => ({ ...c }));
  const stamp = toConditionTime(now);
  for (const want of desired) {
    const index = result.findIndex((c) => c.type === want.type);
    const current = index === -1 ? undefined : result[index];
    const lastTransitionTime =
      current && current.status === want.status && current.lastTransitionTime
        ? current.lastTransitionTime
        : stamp;
    const merged: Condition = { ...want, lastTransitionTime };
    if (index === -1) result.push(merged);
    else result[index] = merged;
  }
  return result;
}

/** metav1.Time has second precision: RFC 3339 without fractions. */
export function toConditionTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** True when both lists say the same (order-insensitive, all fields). */
export function sameConditions(
  a: readonly Condition[] | undefined,
  b: readonly Condition[] | undefined,
): boolean {
  const left = a ?? [];
  const right = b ?? [];
  if (left.length !== right.length) return false;
  return left.every((c) => {
    const other = right.find((o) => o.type === c.type);
    return (
      other !== undefined &&
      other.status === c.status &&
      other.reason === c.reason &&
      other.message === c.message &&
      other.lastTransitionTime === c.lastTransitionTime &&
      other.observedGeneration === c.observedGeneration
    );
  });
}
