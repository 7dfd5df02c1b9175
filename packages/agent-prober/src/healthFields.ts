import type { AgentCardStatus, Health } from '@agent-registry/crds';

/** What one probe of one card concluded. */
export interface ProbeOutcome {
  health: Health;
  /** Why, in a few words (logged, and a span attribute). */
  reason: string;
  /** The endpoint probed: an outcome for another URL than the card's current one is stale. */
  url: string | undefined;
  checkedAt: Date;
}

/** An RFC 3339 timestamp in whole seconds, as Kubernetes writes them (`2025-01-01T00:00:00Z`). */
export const toTimestamp = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The health fields a card's status should have, given what it has and the latest probe: health follows the
 * probe (before the first one, the card keeps what it says); `lastSeen` (the last time the agent answered with
 * a card) moves at most once per interval, so a healthy agent costs one status change per interval, not one per
 * probe.
 */
export function healthFields(
  observed: AgentCardStatus | undefined,
  outcome: ProbeOutcome | undefined,
  intervalMs: number,
): Pick<AgentCardStatus, 'health' | 'lastSeen'> {
  const lastSeen = observed?.lastSeen;
  if (!outcome) return { health: observed?.health ?? 'Unknown', ...(lastSeen ? { lastSeen } : {}) };
  if (outcome.health !== 'Healthy') return { health: outcome.health, ...(lastSeen ? { lastSeen } : {}) };
  const stale = !lastSeen || outcome.checkedAt.getTime() - Date.parse(lastSeen) >= intervalMs;
  return { health: 'Healthy', lastSeen: stale ? toTimestamp(outcome.checkedAt) : lastSeen };
}

/** Whether a status already has the health fields `want` (then nothing needs writing). */
export function hasHealthFields(
  observed: AgentCardStatus | undefined,
  want: Pick<AgentCardStatus, 'health' | 'lastSeen'>,
): boolean {
  return want.health === observed?.health && want.lastSeen === observed?.lastSeen;
}
