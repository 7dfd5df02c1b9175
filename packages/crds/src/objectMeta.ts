import * as v from 'valibot';
import { limits } from './limits.js';
import { annotationsSizeBytes } from './validateObjectMeta.js';

export const StringMapSchema = v.record(v.pipe(v.string(), v.maxLength(limits.name)), v.string());

export const OwnerReferenceSchema = v.looseObject({
  apiVersion: v.string(),
  kind: v.string(),
  name: v.string(),
  uid: v.string(),
  controller: v.optional(v.boolean()),
  blockOwnerDeletion: v.optional(v.boolean()),
});
export type OwnerReference = v.InferOutput<typeof OwnerReferenceSchema>;

/**
 * The parts of `metav1.ObjectMeta` this project reads. Unknown fields are kept
 * (`looseObject`) so that a read-modify-write never drops what others set.
 */
export const ObjectMetaSchema = v.looseObject({
  name: v.pipe(
    v.string('must be a string'),
    v.nonEmpty('must not be empty'),
    v.maxLength(limits.name, `must be at most ${limits.name} characters`),
  ),
  namespace: v.optional(
    v.pipe(v.string('must be a string'), v.maxLength(63, 'must be at most 63 characters')),
  ),
  uid: v.optional(v.string()),
  resourceVersion: v.optional(v.string()),
  generation: v.optional(v.number()),
  creationTimestamp: v.optional(v.string()),
  deletionTimestamp: v.optional(v.string()),
  labels: v.optional(StringMapSchema),
  annotations: v.optional(
    v.pipe(
      v.record(v.string(), v.string('annotation values must be strings')),
      v.check(
        (annotations) => annotationsSizeBytes(annotations) <= limits.annotationsTotalBytes,
        `annotations must total at most ${limits.annotationsTotalBytes} bytes`,
      ),
    ),
  ),
  ownerReferences: v.optional(v.array(OwnerReferenceSchema)),
  managedFields: v.optional(v.array(v.unknown())),
});
export type ObjectMeta = v.InferOutput<typeof ObjectMetaSchema>;
