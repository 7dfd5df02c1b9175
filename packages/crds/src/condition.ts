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
