import type { AgentCard } from '@agent-registry/crds';

/**
 * Whether the stored card must be written to become `desired`. The content hash
 * covers the whole spec (including the rendered public card), so unchanged
 * agents cost no write on re-sync. Beyond the spec, only what the generator owns
 * in metadata counts: a label it wants (the managed-by label and those inherited
 * from the agent, see inheritance.ts) missing or different, or a missing owner
 * reference to the source. Labels, annotations and owner references that others
 * added are left alone and do not count — so a label removed from the agent
 * leaves the card with the next write, not at once.
 *
 * A hand edit of the spec that keeps the old `contentHash` is not detected;
 * removing `contentHash` forces a rewrite.
 */
export function needsUpdate(existing: AgentCard | undefined, desired: AgentCard): boolean {
  if (existing === undefined) return true;
  const existingHash = existing.spec?.contentHash;
  if (existingHash === undefined || existingHash !== desired.spec.contentHash) return true;
  const labels = existing.metadata.labels ?? {};
  for (const [key, value] of Object.entries(desired.metadata.labels ?? {})) {
    if (labels[key] !== value) return true;
  }
  const owners = existing.metadata.ownerReferences ?? [];
  return (desired.metadata.ownerReferences ?? []).some(
    (wanted) => !owners.some((owner) => owner.uid === wanted.uid && owner.controller === wanted.controller),
  );
}
