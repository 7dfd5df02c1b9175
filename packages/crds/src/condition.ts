import * as v from 'valibot';

/** The `metav1.Condition` shape. */
export const ConditionSchema = v.object({
  type: v.pipe(v.string(), v.nonEmpty(), v.maxLength(316)),
  status: v.picklist(['True', 'False', 'Unknown']),
  observedGeneration: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  lastTransitionTime: v.string(),
  reason: v.pipe(v.string(), v.nonEmpty(), v.maxLength(1024)),
  message: v.pipe(v.string(), v.maxLength(32768)),
});
export type Condition = v.InferOutput<typeof ConditionSchema>;

export const HealthSchema = v.picklist(['Healthy', 'Unhealthy', 'Unknown']);
export type Health = v.InferOutput<typeof HealthSchema>;

/**
 * The AgentCard condition saying whether a publisher signature on `spec.publicCard` verified against a
 * trusted key (set by the controller, or the registry's embedded store, with @agent-registry/card-signing).
 */
export const SIGNATURE_VERIFIED = 'SignatureVerified';

/** Whether a card's status says a publisher signature verified: only `SignatureVerified` True counts. */
export function isSignatureVerified(card: { status?: { conditions?: readonly Condition[] } }): boolean {
  return (
    card.status?.conditions?.some(
      (condition) => condition.type === SIGNATURE_VERIFIED && condition.status === 'True',
    ) ?? false
  );
}
