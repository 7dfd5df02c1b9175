import type { A2AVersion, AgentCard } from '@agent-registry/crds';
import {
  a2aCardUrl,
  cardUrl,
  getJson,
  wellKnownUrl,
  type A2ACardDocument,
  type A2ASkill,
  type CardRef,
} from './api.js';
import { descriptionOf, healthOf, keyOf, refOf, sameCard, skillsOf } from './cardView.js';
import { h } from './dom.js';
import { ui } from './elements.js';
import { healthBadge } from './healthBadge.js';
import { placeVerifiedBadge } from './verifiedBadge.js';
import { markSelectedCard } from './results.js';
import { state } from './state.js';

const safeHref = (url: string): string | null => {
  try {
    const parsed = new URL(url, location.origin);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
};

const formatTime = (value: string): string => {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString();
};

/** Opens the details pane on `selection` (null closes it). */
export async function openDetails(selection: CardRef | null): Promise<void> {
  state.selected = selection;
  markSelectedCard();
  if (!selection) {
    ui.details.hidden = true;
    ui.content.classList.remove('content--with-details');
    return;
  }
  const listed = state.items.find((card) => sameCard(selection, refOf(card)));
  ui.details.hidden = false;
  ui.content.classList.add('content--with-details');
  if (listed) renderDetails(listed);
  else {
    ui.title.textContent = selection.name;
    ui.namespace.textContent = selection.namespace;
  }
  ui.title.focus({ preventScroll: !listed });
  try {
    if (!listed) renderDetails(await getJson<AgentCard>(cardUrl(selection)));
  } catch (error) {
    ui.description.textContent = `Could not load this agent: ${(error as Error).message}`;
    return;
  }
  await loadA2aCard();
}

/** Closes the pane and returns focus to the card it showed. */
export function closeDetails(): void {
  const key = state.selected ? keyOf(state.selected) : '';
  history.pushState(null, '', location.pathname + location.search);
  void openDetails(null);
  const article = [...ui.list.querySelectorAll<HTMLElement>('article.card')].find(
    (node) => node.dataset.key === key,
  );
  article?.querySelector('a')?.focus();
}

export function renderDetails(card: AgentCard): void {
  const ref = refOf(card);
  const { spec, status = {} } = card;
  ui.title.textContent = ref.name;
  ui.namespace.textContent = ref.namespace;
  healthBadge(healthOf(card), ui.detailsHealth);
  placeVerifiedBadge(card, ui.detailsHealth);
  ui.description.textContent = descriptionOf(card) || 'No description.';
  ui.wellKnown.value = wellKnownUrl(ref);
  ui.copyStatus.textContent = '';

  const facts: HTMLElement[] = [];
  const fact = (label: string, ...value: (Node | string | Node[])[]) =>
    facts.push(h('dt', { text: label }), h('dd', {}, ...value));
  const endpoints = spec.endpoints ?? [];
  if (endpoints.length > 0) {
    fact(
      'Endpoints',
      endpoints.flatMap((url, index) => {
        const href = safeHref(url);
        const link = href
          ? h('a', { href, rel: 'noopener noreferrer', target: '_blank', text: url })
          : h('span', { text: url });
        return index ? [h('br'), link] : [link];
      }),
    );
  }
  fact('A2A version', spec.a2aVersion ?? '0.3.0');
  if (status.lastSeen)
    fact('Last seen', h('time', { datetime: status.lastSeen, text: formatTime(status.lastSeen) }));
  for (const [key, value] of Object.entries(spec.metadata ?? {})) {
    if (key !== 'description') fact(key, String(value));
  }
  const labels = Object.entries(card.metadata.labels ?? {});
  if (labels.length > 0)
    fact(
      'Labels',
      h(
        'ul',
        { class: 'chips' },
        labels.map(([key, value]) => h('li', { class: 'chip chip--tag', text: `${key}=${value}` })),
      ),
    );
  if (spec.contentHash)
    fact('Content hash', h('code', { text: `${spec.contentHash.slice(0, 16)}…`, title: spec.contentHash }));
  ui.facts.replaceChildren(...facts);

  // Until the served A2A card arrives, the same skills as rendered for the list.
  renderSkills(skillsOf(card));

  const conditions = status.conditions ?? [];
  ui.conditions.replaceChildren(
    ...(conditions.length > 0
      ? conditions.map((c) =>
          h(
            'li',
            {},
            h('strong', { text: `${c.type}: ${c.status}` }),
            c.reason && h('span', { class: 'muted', text: ` · ${c.reason}` }),
            c.message && h('span', { class: 'muted', text: ` — ${c.message}` }),
          ),
        )
      : [h('li', { class: 'muted', text: 'No conditions reported.' })]),
  );
}

function renderSkills(skills: readonly A2ASkill[]): void {
  ui.skills.replaceChildren(
    ...(skills.length > 0
      ? skills.map((skill) =>
          h(
            'li',
            { class: 'skill' },
            h(
              'div',
              {},
              h('span', { class: 'skill__name', text: skill.name || skill.id }),
              h('span', { class: 'skill__id', text: skill.id }),
            ),
            skill.description && h('p', { class: 'skill__description', text: skill.description }),
            (skill.tags?.length ?? 0) > 0 &&
              h(
                'ul',
                { class: 'chips', 'aria-label': 'Tags' },
                (skill.tags ?? []).map((tag) => h('li', { class: 'chip chip--tag', text: tag })),
              ),
          ),
        )
      : [h('li', { class: 'muted', text: 'No skills declared.' })]),
  );
}

function selectedVersion(): A2AVersion {
  const checked = document.querySelector<HTMLInputElement>('input[name="a2a-version"]:checked');
  return checked?.value === '1.0' ? '1.0' : '0.3.0';
}

/** Shows the open card's A2A JSON as the registry serves it, and the skills that card lists. */
export async function loadA2aCard(): Promise<void> {
  const selection = state.selected;
  if (!selection) return;
  state.detailAbort?.abort();
  const abort = new AbortController();
  state.detailAbort = abort;
  const url = a2aCardUrl(selection, selectedVersion());
  ui.raw.href = url;
  const pre = ui.json.parentElement;
  pre?.setAttribute('aria-busy', 'true');
  try {
    const served = await getJson<A2ACardDocument>(url, abort.signal);
    ui.json.textContent = JSON.stringify(served, null, 2);
    if (Array.isArray(served.skills)) renderSkills(served.skills);
  } catch (error) {
    if (abort.signal.aborted) return;
    ui.json.textContent = `Could not load the A2A card: ${(error as Error).message}`;
  } finally {
    if (state.detailAbort === abort) pre?.setAttribute('aria-busy', 'false');
  }
}

export async function copyWellKnownUrl(): Promise<void> {
  const url = ui.wellKnown.value;
  try {
    await navigator.clipboard.writeText(url);
    ui.copyStatus.textContent = 'Copied to clipboard.';
  } catch {
    // Clipboard API refused (permissions, insecure origin): select the text instead.
    ui.wellKnown.focus();
    ui.wellKnown.select();
    ui.copyStatus.textContent = 'Press Ctrl+C to copy.';
  }
}
