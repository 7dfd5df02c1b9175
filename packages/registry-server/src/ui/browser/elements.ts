import { byId } from './dom.js';

/** The elements of the page shell (catalogPage.ts) the script fills in. */
export const ui = {
  form: byId('filters', HTMLFormElement),
  content: byId('content', HTMLDivElement),
  count: byId('result-count', HTMLParagraphElement),
  error: byId('error', HTMLParagraphElement),
  list: byId('results', HTMLUListElement),
  empty: byId('empty', HTMLParagraphElement),
  more: byId('load-more', HTMLButtonElement),
  live: byId('live', HTMLSpanElement),
  skillOptions: byId('skill-options', HTMLDataListElement),
  tagOptions: byId('tag-options', HTMLDataListElement),
  details: byId('details', HTMLElement),
  title: byId('details-title', HTMLHeadingElement),
  namespace: byId('details-namespace', HTMLParagraphElement),
  detailsHealth: byId('details-health', HTMLSpanElement),
  description: byId('details-description', HTMLParagraphElement),
  close: byId('details-close', HTMLButtonElement),
  wellKnown: byId('well-known-url', HTMLInputElement),
  copy: byId('copy-url', HTMLButtonElement),
  copyStatus: byId('copy-status', HTMLParagraphElement),
  facts: byId('details-facts', HTMLElement),
  skills: byId('details-skills', HTMLUListElement),
  conditions: byId('details-conditions', HTMLUListElement),
  json: byId('a2a-json', HTMLElement),
  raw: byId('a2a-raw', HTMLAnchorElement),
};

export const FILTERS = ['q', 'skill', 'tag', 'health'] as const;
export type Filter = (typeof FILTERS)[number];

export const filterInputs: Record<Filter, HTMLInputElement | HTMLSelectElement> = {
  q: byId('q', HTMLInputElement),
  skill: byId('skill', HTMLInputElement),
  tag: byId('tag', HTMLInputElement),
  health: byId('health', HTMLSelectElement),
};
