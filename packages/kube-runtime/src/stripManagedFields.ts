import type { InformerObject } from './informer.js';

/**
 * An informer `transform` that drops `metadata.managedFields` before an object is cached (controller-runtime's
 * TransformStripManagedFields). Server-side apply keeps one entry per field manager and subresource — on an
 * object written by apply and status apply that is a good share of its size — and a controller reads none of it.
 * Every cached object is smaller, and so is every full collection of the heap, which holds the whole cache.
 */
export function stripManagedFields<T extends InformerObject>(object: T): T {
  const metadata = object.metadata as (T['metadata'] & { managedFields?: unknown }) | undefined;
  if (metadata?.managedFields !== undefined) delete metadata.managedFields;
  return object;
}
