import type { CardRef } from './api.js';
import { FILTERS, filterInputs } from './elements.js';

/** The filters in effect, as query parameters (empty ones left out). */
export function filterParams(): URLSearchParams {
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    const value = filterInputs[name].value.trim();
    if (value) params.set(name, value);
  }
  return params;
}

export const hasSearchText = (): boolean => filterInputs.q.value.trim() !== '';

/** Filters live in the query string, so a reload or a shared link keeps them. */
export function readFiltersFromUrl(): void {
  const params = new URLSearchParams(location.search);
  for (const name of FILTERS) filterInputs[name].value = params.get(name) ?? '';
}

export function writeFiltersToUrl(): void {
  const query = filterParams().toString();
  history.replaceState(null, '', location.pathname + (query ? `?${query}` : '') + location.hash);
}

/** The open card lives in the hash: `#/agents/<namespace>/<name>`. */
export const cardHash = (ref: CardRef): string =>
  `#/agents/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.name)}`;

export function selectedFromHash(): CardRef | null {
  const match = /^#\/agents\/([^/]+)\/([^/]+)$/.exec(location.hash);
  if (!match) return null;
  try {
    return { namespace: decodeURIComponent(match[1]!), name: decodeURIComponent(match[2]!) };
  } catch {
    return null;
  }
}
