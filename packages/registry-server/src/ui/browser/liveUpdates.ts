import type { AgentCard } from '@agent-registry/crds';
import { CARDS_API } from './api.js';
import { keyOf, refOf, sameCard } from './cardView.js';
import { loadA2aCard, renderDetails } from './details.js';
import { ui } from './elements.js';
import { loadCards, renderCards } from './results.js';
import { state } from './state.js';
import { hasSearchText } from './urlState.js';

const REFRESH_DELAY_MS = 300;

/** Follows the registry's watch stream (SSE) from the listed resourceVersion, patching the page. */
export function watchCards(): void {
  if (typeof EventSource === 'undefined') return;
  const params = new URLSearchParams({ watch: 'true' });
  if (state.resourceVersion) params.set('resourceVersion', state.resourceVersion);
  const source = new EventSource(`${CARDS_API}?${params.toString()}`);
  let timer = 0;
  const refresh = () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => void loadCards(false), REFRESH_DELAY_MS);
  };
  const onEvent = (event: MessageEvent<string>) => {
    let card: AgentCard;
    try {
      card = JSON.parse(event.data) as AgentCard;
    } catch {
      return;
    }
    if (!card?.metadata) return;
    const ref = refOf(card);
    const index = state.items.findIndex((item) => keyOf(refOf(item)) === keyOf(ref));
    // A change may move a card in a ranked (searched) list: reload it then, rather than patch it in place.
    const ranked = hasSearchText();
    if (event.type === 'MODIFIED' && index >= 0 && !ranked) {
      state.items[index] = card;
      renderCards();
    } else if (event.type === 'DELETED' && index >= 0) {
      state.items.splice(index, 1);
      renderCards();
    } else {
      refresh();
    }
    if (sameCard(state.selected, ref) && event.type !== 'DELETED') {
      renderDetails(card);
      void loadA2aCard();
    }
  };
  for (const type of ['ADDED', 'MODIFIED', 'DELETED']) source.addEventListener(type, onEvent);
  source.addEventListener('open', () => {
    ui.live.hidden = false;
  });
  source.addEventListener('error', () => {
    ui.live.hidden = source.readyState !== EventSource.OPEN;
  });
  window.addEventListener('pagehide', () => source.close());
}
