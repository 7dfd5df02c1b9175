import { randomBytes } from 'node:crypto';

// The id format is @agent-registry/registry-client's (clients resume watches with it).
export { formatEventId, parseEventId, type EventId } from '@agent-registry/registry-client';

/**
 * The epoch of event ids and resourceVersions (`<epoch>.<sequence>`): random per store instance (so
 * per process and per replica), which tells a resume point from another replica or an earlier
 * process apart from one of ours.
 */
export const newEpoch = (): string => randomBytes(6).toString('hex');
