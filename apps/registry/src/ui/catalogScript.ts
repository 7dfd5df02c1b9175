/**
 * The catalog's browser module, kept as a string so the built `dist/` serves it
 * without a copy step. Plain ES2020, no framework. Every value from the API is
 * written with `textContent` or attribute setters, never parsed as HTML.
 * (No template literals inside: this file is itself one.)
 */
export const catalogScript = String.raw`
const API = '/api/v1alpha1/registry/cards';
const PAGE_SIZE = 60;
const FILTERS = ['q', 'skill', 'tag', 'health'];
const SEARCH_DELAY_MS = 200;
const HEALTH = { Healthy: 'badge--healthy', Unhealthy: 'badge--unhealthy' };

const $ = (id) => document.getElementById(id);
const ui = {
  form: $('filters'), content: $('content'), count: $('result-count'), error: $('error'),
  list: $('results'), empty: $('empty'), more: $('load-more'), live: $('live'),
  skillOptions: $('skill-options'), tagOptions: $('tag-options'),
  details: $('details'), title: $('details-title'), namespace: $('details-namespace'),
  detailsHealth: $('details-health'), description: $('details-description'), close: $('details-close'),
  wellKnown: $('well-known-url'), copy: $('copy-url'), copyStatus: $('copy-status'),
  facts: $('details-facts'), skills: $('details-skills'), conditions: $('details-conditions'),
  json: $('a2a-json'), raw: $('a2a-raw'),
};
const filterInputs = Object.fromEntries(FILTERS.map((name) => [name, $(name)]));

const state = { items: [], continueToken: '', listAbort: null, detailAbort: null, selected: null, seen: { skills: new Set(), tags: new Set() } };

/** Builds an element; strings become text nodes, so data never becomes markup. */
function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

const namespaceOf = (card) => card.metadata.namespace || 'default';
const keyOf = (card) => namespaceOf(card) + '/' + card.metadata.name;
const cardPath = (ns, name) => encodeURIComponent(ns) + '/' + encodeURIComponent(name);
const healthOf = (card) => (card.status && card.status.health) || 'Unknown';
const skillsOf = (card) => (card.spec && Array.isArray(card.spec.skills) ? card.spec.skills : []);
function descriptionOf(card) {
  const spec = card.spec || {};
  const fromMetadata = spec.metadata && spec.metadata.description;
  const fromCard = spec.publicCard && typeof spec.publicCard.description === 'string' ? spec.publicCard.description : '';
  return fromMetadata || fromCard || '';
}
function safeHref(url) {
  try {
    const parsed = new URL(url, location.origin);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}
function healthBadge(health, node) {
  const badge = node || h('span');
  badge.className = 'badge ' + (HEALTH[health] || 'badge--unknown');
  badge.textContent = health;
  return badge;
}
function formatTime(value) {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString();
}

// ---- URL state: filters in the query string, the open card in the hash ----

function readFiltersFromUrl() {
  const params = new URLSearchParams(location.search);
  for (const name of FILTERS) filterInputs[name].value = params.get(name) || '';
}
function filterParams() {
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    const value = filterInputs[name].value.trim();
    if (value) params.set(name, value);
  }
  return params;
}
function writeFiltersToUrl() {
  const query = filterParams().toString();
  history.replaceState(null, '', location.pathname + (query ? '?' + query : '') + location.hash);
}
function selectedFromHash() {
  const match = /^#\/agents\/([^/]+)\/([^/]+)$/.exec(location.hash);
  if (!match) return null;
  try {
    return { namespace: decodeURIComponent(match[1]), name: decodeURIComponent(match[2]) };
  } catch {
    return null;
  }
}

// ---- API ----

async function getJson(url, signal) {
  const response = await fetch(url, { headers: { accept: 'application/json' }, signal });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const reason = body && typeof body.message === 'string' ? body.message : response.statusText;
    throw new Error(response.status + ' ' + reason);
  }
  return body;
}

// ---- results ----

async function loadCards(append) {
  if (state.listAbort) state.listAbort.abort();
  const abort = new AbortController();
  state.listAbort = abort;
  const params = filterParams();
  params.set('limit', String(PAGE_SIZE));
  if (append && state.continueToken) params.set('continue', state.continueToken);
  ui.list.setAttribute('aria-busy', 'true');
  try {
    const page = await getJson(API + '?' + params.toString(), abort.signal);
    const items = Array.isArray(page.items) ? page.items : [];
    state.items = append ? state.items.concat(items) : items;
    state.continueToken = (page.metadata && page.metadata.continue) || '';
    state.resourceVersion = page.metadata && page.metadata.resourceVersion;
    ui.error.hidden = true;
    renderCards();
  } catch (error) {
    if (abort.signal.aborted) return;
    ui.error.textContent = 'Could not load agents: ' + error.message;
    ui.error.hidden = false;
    ui.count.textContent = 'Agents unavailable';
  } finally {
    if (state.listAbort === abort) {
      state.listAbort = null;
      ui.list.removeAttribute('aria-busy');
    }
  }
}

function renderCards() {
  const total = state.items.length;
  const noun = total === 1 ? ' agent' : ' agents';
  // With a search the API ranks the agents: best matches first.
  const order = filterInputs.q.value.trim() && total > 1 ? ', best matches first' : '';
  ui.count.textContent = (state.continueToken ? 'Showing ' + total + noun + ' (more available)' : total + noun) + order;
  ui.empty.hidden = total > 0;
  ui.more.hidden = !state.continueToken;
  ui.list.replaceChildren(...state.items.map(renderCard));
  rememberFacets(state.items);
}

function renderCard(card) {
  const ns = namespaceOf(card);
  const skills = skillsOf(card);
  const isSelected = state.selected && state.selected.namespace === ns && state.selected.name === card.metadata.name;
  return h('li', {},
    h('article', { class: 'card', 'aria-current': isSelected ? 'true' : false, 'data-key': keyOf(card) },
      h('div', { class: 'card__head' },
        h('div', {},
          h('h3', { class: 'card__title' }, h('a', { href: '#/agents/' + cardPath(ns, card.metadata.name), text: card.metadata.name })),
          h('p', { class: 'card__ns', text: ns }),
        ),
        healthBadge(healthOf(card)),
      ),
      descriptionOf(card) ? h('p', { class: 'card__description', text: descriptionOf(card) }) : null,
      skills.length
        ? h('ul', { class: 'chips', 'aria-label': 'Skills' }, skills.slice(0, 6).map((skill) => h('li', { class: 'chip', text: skill.name || skill.id })))
        : null,
    ),
  );
}

function rememberFacets(cards) {
  const { skills, tags } = state.seen;
  const before = skills.size + tags.size;
  for (const card of cards) {
    for (const skill of skillsOf(card)) {
      if (skill.id) skills.add(skill.id);
      for (const tag of skill.tags || []) tags.add(tag);
    }
  }
  if (skills.size + tags.size === before) return;
  const options = (values) => [...values].sort().slice(0, 500).map((value) => h('option', { value }));
  ui.skillOptions.replaceChildren(...options(skills));
  ui.tagOptions.replaceChildren(...options(tags));
}

// ---- details ----

async function openDetails(selection) {
  state.selected = selection;
  markSelectedCard();
  if (!selection) {
    ui.details.hidden = true;
    ui.content.classList.remove('content--with-details');
    return;
  }
  const listed = state.items.find((card) => namespaceOf(card) === selection.namespace && card.metadata.name === selection.name);
  ui.details.hidden = false;
  ui.content.classList.add('content--with-details');
  if (listed) renderDetails(listed);
  else {
    ui.title.textContent = selection.name;
    ui.namespace.textContent = selection.namespace;
  }
  ui.title.focus({ preventScroll: !listed });
  const path = API + '/' + cardPath(selection.namespace, selection.name);
  try {
    if (!listed) renderDetails(await getJson(path));
  } catch (error) {
    ui.description.textContent = 'Could not load this agent: ' + error.message;
    return;
  }
  await loadA2a();
}

function renderDetails(card) {
  const ns = namespaceOf(card);
  const spec = card.spec || {};
  const status = card.status || {};
  ui.title.textContent = card.metadata.name;
  ui.namespace.textContent = ns;
  healthBadge(healthOf(card), ui.detailsHealth);
  ui.description.textContent = descriptionOf(card) || 'No description.';
  ui.wellKnown.value = location.origin + '/agents/' + cardPath(ns, card.metadata.name) + '/.well-known/agent-card.json';
  ui.copyStatus.textContent = '';

  const facts = [];
  const fact = (label, ...value) => facts.push(h('dt', { text: label }), h('dd', {}, ...value));
  const endpoints = Array.isArray(spec.endpoints) ? spec.endpoints : [];
  if (endpoints.length) {
    fact('Endpoints', endpoints.map((url, index) => {
      const href = safeHref(url);
      const link = href ? h('a', { href, rel: 'noopener noreferrer', target: '_blank', text: url }) : h('span', { text: url });
      return index ? [h('br'), link] : link;
    }));
  }
  fact('A2A version', spec.a2aVersion || '0.3.0');
  if (status.lastSeen) fact('Last seen', h('time', { datetime: status.lastSeen, text: formatTime(status.lastSeen) }));
  for (const [key, value] of Object.entries(spec.metadata || {})) {
    if (key !== 'description') fact(key, String(value));
  }
  const labels = Object.entries(card.metadata.labels || {});
  if (labels.length) fact('Labels', h('ul', { class: 'chips' }, labels.map(([k, v]) => h('li', { class: 'chip chip--tag', text: k + '=' + v }))));
  if (spec.contentHash) fact('Content hash', h('code', { text: String(spec.contentHash).slice(0, 16) + '…', title: spec.contentHash }));
  ui.facts.replaceChildren(...facts);

  const skills = skillsOf(card);
  ui.skills.replaceChildren(
    ...(skills.length
      ? skills.map((skill) =>
          h('li', { class: 'skill' },
            h('div', {}, h('span', { class: 'skill__name', text: skill.name || skill.id }), h('span', { class: 'skill__id', text: skill.id })),
            skill.description ? h('p', { class: 'skill__description', text: skill.description }) : null,
            skill.tags && skill.tags.length ? h('ul', { class: 'chips', 'aria-label': 'Tags' }, skill.tags.map((tag) => h('li', { class: 'chip chip--tag', text: tag }))) : null,
          ))
      : [h('li', { class: 'muted', text: 'No skills declared.' })]),
  );

  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  ui.conditions.replaceChildren(
    ...(conditions.length
      ? conditions.map((c) => h('li', {}, h('strong', { text: c.type + ': ' + c.status }), c.reason ? h('span', { class: 'muted', text: ' · ' + c.reason }) : null, c.message ? h('span', { class: 'muted', text: ' — ' + c.message }) : null))
      : [h('li', { class: 'muted', text: 'No conditions reported.' })]),
  );
}

function selectedVersion() {
  const checked = document.querySelector('input[name="a2a-version"]:checked');
  return checked ? checked.value : '0.3.0';
}

async function loadA2a() {
  const selection = state.selected;
  if (!selection) return;
  if (state.detailAbort) state.detailAbort.abort();
  const abort = new AbortController();
  state.detailAbort = abort;
  const url = API + '/' + cardPath(selection.namespace, selection.name) + '/a2a?a2aVersion=' + encodeURIComponent(selectedVersion());
  ui.raw.href = url;
  ui.json.parentElement.setAttribute('aria-busy', 'true');
  try {
    const body = await getJson(url, abort.signal);
    ui.json.textContent = JSON.stringify(body, null, 2);
  } catch (error) {
    if (abort.signal.aborted) return;
    ui.json.textContent = 'Could not load the A2A card: ' + error.message;
  } finally {
    if (state.detailAbort === abort) ui.json.parentElement.setAttribute('aria-busy', 'false');
  }
}

function markSelectedCard() {
  const key = state.selected ? state.selected.namespace + '/' + state.selected.name : '';
  for (const article of ui.list.querySelectorAll('article.card')) {
    if (article.dataset.key === key) article.setAttribute('aria-current', 'true');
    else article.removeAttribute('aria-current');
  }
}

async function copyWellKnownUrl() {
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

// ---- live updates ----

function watch() {
  if (typeof EventSource === 'undefined') return;
  const params = new URLSearchParams({ watch: 'true' });
  if (state.resourceVersion) params.set('resourceVersion', state.resourceVersion);
  const source = new EventSource(API + '?' + params.toString());
  let timer = 0;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(() => loadCards(false), 300);
  };
  const onEvent = (event) => {
    let card;
    try {
      card = JSON.parse(event.data);
    } catch {
      return;
    }
    if (!card || !card.metadata) return;
    const index = state.items.findIndex((item) => keyOf(item) === keyOf(card));
    // A change may move a card in a ranked (searched) list: reload it then, rather than patch it in place.
    const ranked = Boolean(filterInputs.q.value.trim());
    if (event.type === 'MODIFIED' && index >= 0 && !ranked) {
      state.items[index] = card;
      renderCards();
    } else if (event.type === 'DELETED' && index >= 0) {
      state.items.splice(index, 1);
      renderCards();
    } else if (event.type !== 'MODIFIED' || index < 0 || ranked) {
      refresh();
    }
    const selected = state.selected;
    if (selected && selected.namespace === namespaceOf(card) && selected.name === card.metadata.name && event.type !== 'DELETED') {
      renderDetails(card);
      loadA2a();
    }
  };
  for (const type of ['ADDED', 'MODIFIED', 'DELETED']) source.addEventListener(type, onEvent);
  source.addEventListener('open', () => { ui.live.hidden = false; });
  source.addEventListener('error', () => { ui.live.hidden = source.readyState !== EventSource.OPEN; });
  window.addEventListener('pagehide', () => source.close());
}

// ---- wiring ----

let searchTimer = 0;
function onFiltersChanged() {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    writeFiltersToUrl();
    loadCards(false);
  }, SEARCH_DELAY_MS);
}

ui.form.addEventListener('input', onFiltersChanged);
ui.form.addEventListener('change', onFiltersChanged);
ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  clearTimeout(searchTimer);
  writeFiltersToUrl();
  loadCards(false);
});
ui.form.addEventListener('reset', () => setTimeout(onFiltersChanged));
ui.more.addEventListener('click', () => loadCards(true));
ui.copy.addEventListener('click', copyWellKnownUrl);
ui.close.addEventListener('click', closeDetails);
for (const radio of document.querySelectorAll('input[name="a2a-version"]')) radio.addEventListener('change', loadA2a);
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && state.selected) closeDetails();
});
window.addEventListener('hashchange', () => openDetails(selectedFromHash()));

function closeDetails() {
  const key = state.selected ? state.selected.namespace + '/' + state.selected.name : '';
  history.pushState(null, '', location.pathname + location.search);
  openDetails(null);
  const link = [...ui.list.querySelectorAll('article.card')].find((article) => article.dataset.key === key);
  if (link) link.querySelector('a').focus();
}

readFiltersFromUrl();
loadCards(false).then(() => {
  const selection = selectedFromHash();
  if (selection) openDetails(selection);
  watch();
});
`;
