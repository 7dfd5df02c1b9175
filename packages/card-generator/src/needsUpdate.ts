import type { AgentCard } from '@agent-registry/crds';
import { MANAGED_BY_LABEL } from './annotations.js';

/**
 * Whether the stored card must be written to become `desired`. The content hash
 * covers the whole spec (including the rendered public card), so unchanged
 * agents cost no write on re-sync. Beyond the spec, only what the generator owns
 * in metadata counts: a missing or different managed-by label, or a missing
 * owner reference to the source. Labels, annotations and owner references that
 * others added are left alone and do not count.
 *
 * A hand edit of the spec that keeps the old `contentHash` is not detected;
 * removing `contentHash` forces a rewrite.
 */
export function needsUpdate(existing: AgentCard | undefined, desired: AgentCard): boolean {
  if (existing === undefined) return true;
  const existingHash = existing.spec?.contentHash;
  if (existingHash === undefined || existingHash !== desired.spec.contentHash) return true;
  const wantedLabel = desired.metadata.labels?.[MANAGED_BY_LABEL];
  if (wantedLabel !== undefined && existing.metadata.labels?.[MANAGED_BY_LABEL] !== wantedLabel) return true;
  const owners = existing.metadata.ownerReferences ?? [];
  return (desired.metadata.ownerReferences ?? []).some(
    (wanted) => !owners.some((owner) => owner.uid === wanted.uid && owner.controller === wanted.controller),
  );
}
