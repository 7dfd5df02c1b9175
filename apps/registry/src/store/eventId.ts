import { randomBytes } from 'node:crypto';

/**
 * Event ids and resourceVersions are `<epoch>.<sequence>`. The epoch is random per store instance (so per
 * process and per replica): a sequence number only means something to the instance that issued it, and
 * the epoch tells a resume point from another replica or an earlier process apart from one of ours.
 */
export const newEpoch = (): string => randomBytes(6).toString('hex');

export function formatEventId(epoch: string, sequence: number): string {
  return `${epoch}.${sequence}`;
}

export interface EventId {
  epoch: string;
  sequence: number;
}

/**
 * Parses `<epoch>.<sequence>`. A bare number (an id from before epochs existed) parses with an empty
 * epoch, which matches no store. Anything else is not ours at all: `undefined`.
 */
export function parseEventId(raw: string): EventId | undefined {
  const match = /^(?:([0-9a-z]{1,32})\.)?(\d{1,15})$/.exec(raw);
  if (!match) return undefined;
  return { epoch: match[1] ?? '', sequence: Number(match[2]) };
}
