/**
 * Watch event ids and list resourceVersions are `<epoch>.<sequence>`: the epoch is random per store
 * instance (so per process and per replica), and a sequence number only means something to the
 * instance that issued it. A client resumes a watch with the last id it saw (`Last-Event-ID`).
 */
export interface EventId {
  epoch: string;
  sequence: number;
}

export function formatEventId(epoch: string, sequence: number): string {
  return `${epoch}.${sequence}`;
}

/**
 * Parses `<epoch>.<sequence>`. A bare number (an id from before epochs existed) parses with an empty
 * epoch, which matches no store. Anything else is not a registry event id at all: `undefined`.
 */
export function parseEventId(raw: string): EventId | undefined {
  const match = /^(?:([0-9a-z]{1,32})\.)?(\d{1,15})$/.exec(raw);
  if (!match) return undefined;
  return { epoch: match[1] ?? '', sequence: Number(match[2]) };
}
