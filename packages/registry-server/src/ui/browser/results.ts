import type { AgentCard } from '@agent-registry/crds';
import { CARDS_API, getJson, type CardList } from './api.js';
import { descriptionOf, healthOf, keyOf, refOf, sameCard, skillsOf } from './cardView.js';
import { h } from './dom.js';
import { ui } from './elements.js';
import { healthBadge } from './healthBadge.js';
import { verifiedBadge } from './verifiedBadge.js';
import { state } from './state.js';
import { cardHash, filterParams, hasSearchText } from './urlState.js';

const PAGE_SIZE = 60;
const CHIPS_PER_CARD = 6;
const MAX_SUGGESTIONS = 500;

/** Lists the cards matching the filters: a fresh first page, or (`append`) the next one. */
export async function loadCards(append: boolean): Promise<void> {
  state.listAbort?.abort();
  const abort = new AbortController();
  state.listAbort = abort;
  const params = filterParams();
  params.set('limit', String(PAGE_SIZE));
  if (append && state.continueToken) params.set('continue', state.continueToken);
  ui.list.setAttribute('aria-busy', 'true');
  try {
    const page = await getJson<CardList>(`${CARDS_API}?${params.toString()}`, abort.signal);
    const items = Array.isArray(page.items) ? page.items : [];
    state.items = append ? state.items.concat(items) : items;
    state.continueToken = page.metadata?.continue ?? '';
    state.resourceVersion = page.metadata?.resourceVersion;
    ui.error.hidden = true;
    renderCards();
  } catch (error) {
    if (abort.signal.aborted) return;
    ui.error.textContent = `Could not load agents: ${(error as Error).message}`;
    ui.error.hidden = false;
    ui.count.textContent = 'Agents unavailable';
  } finally {
    if (state.listAbort === abort) {
      state.listAbort = null;
      ui.list.removeAttribute('aria-busy');
    }
  }
}

export function renderCards(): void {
  const total = state.items.length;
  const noun = total === 1 ? 'agent' : 'agents';
  // With a search the API ranks the agents: best matches first.
  const order = hasSearchText() && total > 1 ? ', best matches first' : '';
  ui.count.textContent =
    (state.continueToken ? `Showing ${total} ${noun} (more available)` : `${total} ${noun}`) + order;
  ui.empty.hidden = total > 0;
  ui.more.hidden = !state.continueToken;
  ui.list.replaceChildren(...state.items.map(renderCard));
  rememberFacets(state.items);
}

function renderCard(card: AgentCard): HTMLLIElement {
  const ref = refOf(card);
  const description = descriptionOf(card);
  const skills = skillsOf(card);
  return h(
    'li',
    {},
    h(
      'article',
      { class: 'card', 'aria-current': sameCard(state.selected, ref) && 'true', 'data-key': keyOf(ref) },
      h(
        'div',
        { class: 'card__head' },
        h(
          'div',
          {},
          h('h3', { class: 'card__title' }, h('a', { href: cardHash(ref), text: ref.name })),
          h('p', { class: 'card__ns', text: ref.namespace }),
        ),
        h('div', { class: 'card__badges' }, healthBadge(healthOf(card)), verifiedBadge(card)),
      ),
      description && h('p', { class: 'card__description', text: description }),
      skills.length > 0 &&
        h(
          'ul',
          { class: 'chips', 'aria-label': 'Skills' },
          skills
            .slice(0, CHIPS_PER_CARD)
            .map((skill) => h('li', { class: 'chip', text: skill.name || skill.id })),
        ),
    ),
  );
}

/** Offers every skill and tag seen so far as suggestions (the REST filters match skill names). */
function rememberFacets(cards: readonly AgentCard[]): void {
  const { skills, tags } = state.seen;
  const before = skills.size + tags.size;
  for (const card of cards) {
    for (const skill of skillsOf(card)) {
      if (skill.name) skills.add(skill.name);
      for (const tag of skill.tags ?? []) tags.add(tag);
    }
  }
  if (skills.size + tags.size === before) return;
  const options = (values: Set<string>) =>
    [...values]
      .sort()
      .slice(0, MAX_SUGGESTIONS)
      .map((value) => h('option', { value }));
  ui.skillOptions.replaceChildren(...options(skills));
  ui.tagOptions.replaceChildren(...options(tags));
}

/** Marks the open card in the list (`aria-current`), without re-rendering it. */
export function markSelectedCard(): void {
  const key = state.selected ? keyOf(state.selected) : '';
  for (const article of ui.list.querySelectorAll<HTMLElement>('article.card')) {
    if (article.dataset.key === key) article.setAttribute('aria-current', 'true');
    else article.removeAttribute('aria-current');
  }
}
