import type { AgentCard } from '@agent-registry/crds';
import type { CardRef } from './api.js';

/** What the page knows: the listed cards, the open card and in-flight requests. */
export const state = {
  items: [] as AgentCard[],
  continueToken: '',
  resourceVersion: undefined as string | undefined,
  listAbort: null as AbortController | null,
  detailAbort: null as AbortController | null,
  selected: null as CardRef | null,
  /** Every skill name and tag seen so far: the filters' suggestions. */
  seen: { skills: new Set<string>(), tags: new Set<string>() },
};
