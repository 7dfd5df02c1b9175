/**
 * The catalog's stylesheet, kept as a string so the built `dist/` serves it
 * without a copy step. Light and dark themes follow the system preference.
 */
export const catalogStyles = String.raw`
:root {
  color-scheme: light dark;
  --bg: #f6f7f9;
  --surface: #ffffff;
  --surface-2: #f0f2f5;
  --text: #16191f;
  --muted: #5b6270;
  --border: #dfe3e8;
  --accent: #3451d1;
  --accent-text: #ffffff;
  --focus: #2f6bff;
  --healthy-bg: #e3f5ea;
  --healthy-fg: #17663a;
  --unhealthy-bg: #fde8e7;
  --unhealthy-fg: #a3241b;
  --unknown-bg: #eceef2;
  --unknown-fg: #4a5160;
  --code-bg: #0f1420;
  --code-fg: #dbe3f4;
  --radius: 10px;
  --shadow: 0 1px 2px rgba(16, 24, 40, 0.06), 0 1px 3px rgba(16, 24, 40, 0.08);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px;
  line-height: 1.5;
}

@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0f1217;
    --surface: #171b22;
    --surface-2: #1f242d;
    --text: #e7eaf0;
    --muted: #9aa3b2;
    --border: #2b313c;
    --accent: #7d93ff;
    --accent-text: #0f1217;
    --healthy-bg: #173826;
    --healthy-fg: #7ee2a4;
    --unhealthy-bg: #451c1a;
    --unhealthy-fg: #ffaaa3;
    --unknown-bg: #262b35;
    --unknown-fg: #b8c0cc;
    --code-bg: #0a0d12;
  }
}

*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); }
h1, h2, h3, p { margin: 0; }
a { color: var(--accent); }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
[hidden] { display: none !important; }

.visually-hidden {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.skip-link { position: absolute; left: 1rem; top: -3rem; background: var(--surface); padding: 0.5rem 0.75rem; border-radius: 6px; z-index: 10; }
.skip-link:focus { top: 0.75rem; }

.topbar {
  display: flex; align-items: center; justify-content: space-between; gap: 1rem;
  padding: 0.9rem clamp(1rem, 3vw, 2rem);
  background: var(--surface); border-bottom: 1px solid var(--border);
}
.brand { display: flex; align-items: center; gap: 0.7rem; }
.brand__mark {
  display: grid; place-items: center; width: 2rem; height: 2rem; border-radius: 8px;
  background: var(--accent); color: var(--accent-text); font-weight: 700; font-size: 0.9rem;
}
.brand h1 { font-size: 1.1rem; letter-spacing: -0.01em; }
.brand p { color: var(--muted); font-size: 0.85rem; }
.live { display: inline-flex; align-items: center; gap: 0.4rem; font-size: 0.8rem; color: var(--muted); }
.live::before { content: ""; width: 0.5rem; height: 0.5rem; border-radius: 50%; background: #22a55b; }

.layout { max-width: 1360px; margin: 0 auto; padding: 1.25rem clamp(1rem, 3vw, 2rem) 3rem; }

.filters {
  display: grid; grid-template-columns: minmax(14rem, 2fr) repeat(3, minmax(8rem, 1fr)) auto;
  gap: 0.75rem; align-items: end;
  background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius);
  padding: 0.9rem; box-shadow: var(--shadow);
}
.field { display: flex; flex-direction: column; gap: 0.3rem; min-width: 0; }
.field label, .section-label { font-size: 0.78rem; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
input, select, button { font: inherit; color: inherit; }
.field input, .field select, .copy-field input {
  width: 100%; height: 2.4rem; padding: 0 0.7rem;
  background: var(--surface-2); border: 1px solid var(--border); border-radius: 8px;
}
.field input:focus, .field select:focus { border-color: var(--focus); }

.button {
  height: 2.4rem; padding: 0 1rem; border-radius: 8px; border: 1px solid var(--accent);
  background: var(--accent); color: var(--accent-text); font-weight: 600; cursor: pointer; white-space: nowrap;
}
.button--ghost { background: transparent; color: var(--text); border-color: var(--border); }
.button:hover { filter: brightness(1.08); }
.icon-button {
  width: 2rem; height: 2rem; border-radius: 8px; border: 1px solid var(--border);
  background: transparent; cursor: pointer; font-size: 1.1rem; line-height: 1;
}

.content { display: grid; grid-template-columns: minmax(0, 1fr); gap: 1.25rem; margin-top: 1.25rem; }
.content--with-details { grid-template-columns: minmax(0, 1fr) minmax(0, 1.05fr); }

.results__head { display: flex; align-items: baseline; justify-content: space-between; margin-bottom: 0.75rem; }
#result-count { color: var(--muted); font-size: 0.9rem; }
.error { padding: 0.75rem 1rem; border-radius: 8px; background: var(--unhealthy-bg); color: var(--unhealthy-fg); margin-bottom: 0.75rem; }
.empty { color: var(--muted); padding: 2rem 0; text-align: center; }

.cards { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); }
.content--with-details .cards { grid-template-columns: minmax(0, 1fr); }
.card {
  position: relative; display: flex; flex-direction: column; gap: 0.5rem; height: 100%;
  padding: 0.9rem 1rem; background: var(--surface); border: 1px solid var(--border);
  border-radius: var(--radius); box-shadow: var(--shadow); transition: border-color 0.12s;
}
.card:hover { border-color: var(--accent); }
.card[aria-current="true"] { border-color: var(--accent); box-shadow: 0 0 0 1px var(--accent); }
.card__head { display: flex; align-items: flex-start; justify-content: space-between; gap: 0.5rem; }
.card__title { font-size: 1rem; line-height: 1.3; overflow-wrap: anywhere; }
.card__title a { color: inherit; text-decoration: none; }
.card__title a::after { content: ""; position: absolute; inset: 0; border-radius: var(--radius); }
.card__title a:focus-visible { outline: none; }
.card__title a:focus-visible::after { outline: 2px solid var(--focus); outline-offset: 2px; }
.card__ns { font-size: 0.8rem; color: var(--muted); }
.card__description {
  color: var(--muted); font-size: 0.9rem;
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden;
}

.badge {
  display: inline-flex; align-items: center; gap: 0.35rem; flex: none;
  padding: 0.1rem 0.55rem; border-radius: 999px; font-size: 0.75rem; font-weight: 600;
  background: var(--unknown-bg); color: var(--unknown-fg);
}
.badge::before { content: ""; width: 0.45rem; height: 0.45rem; border-radius: 50%; background: currentColor; }
.badge--healthy { background: var(--healthy-bg); color: var(--healthy-fg); }
.badge--unhealthy { background: var(--unhealthy-bg); color: var(--unhealthy-fg); }

.chips { display: flex; flex-wrap: wrap; gap: 0.35rem; list-style: none; margin: 0; padding: 0; }
.chip { font-size: 0.75rem; padding: 0.1rem 0.5rem; border-radius: 6px; background: var(--surface-2); border: 1px solid var(--border); }
.chip--tag { background: transparent; color: var(--muted); }

.load-more { margin: 1rem auto 0; display: block; }

.details {
  align-self: start; position: sticky; top: 1rem; max-height: calc(100vh - 2rem); overflow: auto;
  background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius);
  box-shadow: var(--shadow); padding: 1.1rem 1.2rem 1.3rem;
}
.details__head { display: flex; align-items: flex-start; gap: 0.75rem; }
.details__head > div { flex: 1; min-width: 0; }
.details__head h2 { font-size: 1.3rem; line-height: 1.25; overflow-wrap: anywhere; }
.details__head h2:focus { outline: none; }
.details__ns { color: var(--muted); font-size: 0.85rem; }
.details__description { margin-top: 0.6rem; }
.details__section { margin-top: 1.2rem; }
.details__section h3 { font-size: 0.78rem; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; margin-bottom: 0.45rem; }

.copy-field { display: flex; gap: 0.5rem; margin-top: 0.35rem; }
.copy-field input { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.82rem; }
.hint { color: var(--muted); font-size: 0.8rem; min-height: 1.2em; margin-top: 0.25rem; }

.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.35rem 1rem; margin: 1rem 0 0; font-size: 0.9rem; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }

.skill-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.5rem; }
.skill { padding: 0.6rem 0.75rem; border: 1px solid var(--border); border-radius: 8px; background: var(--surface-2); }
.skill__name { font-weight: 600; }
.skill__id { color: var(--muted); font-size: 0.8rem; margin-left: 0.35rem; font-family: ui-monospace, monospace; }
.skill__description { color: var(--muted); font-size: 0.88rem; margin: 0.2rem 0 0.4rem; }

.conditions { list-style: none; margin: 0; padding: 0; font-size: 0.88rem; display: grid; gap: 0.3rem; }
.conditions .muted { color: var(--muted); }

.json-head { display: flex; align-items: center; justify-content: space-between; gap: 0.75rem; margin-bottom: 0.45rem; }
.json-head h3 { margin: 0; }
.segmented { display: inline-flex; border: 1px solid var(--border); border-radius: 8px; padding: 2px; margin: 0; background: var(--surface-2); }
.segmented label { position: relative; display: block; }
/* The (transparent) radio covers its own label: clicks, keyboard and screen readers all reach it. */
.segmented input { position: absolute; inset: 0; width: 100%; height: 100%; margin: 0; opacity: 0; cursor: pointer; }
.segmented span { display: block; padding: 0.2rem 0.7rem; border-radius: 6px; font-size: 0.82rem; color: var(--muted); }
.segmented input:checked + span { background: var(--surface); color: var(--text); box-shadow: var(--shadow); font-weight: 600; }
.segmented input:focus-visible + span { outline: 2px solid var(--focus); }
.json {
  margin: 0; padding: 0.9rem 1rem; max-height: 26rem; overflow: auto; border-radius: 8px;
  background: var(--code-bg); color: var(--code-fg);
  font: 0.8rem/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
}
.json-actions { display: flex; gap: 1rem; margin-top: 0.5rem; font-size: 0.85rem; }

@media (max-width: 960px) {
  .filters { grid-template-columns: 1fr 1fr; }
  .filters .field--grow { grid-column: 1 / -1; }
  .content--with-details { grid-template-columns: minmax(0, 1fr); }
  .details { position: static; max-height: none; order: -1; }
}
@media (max-width: 520px) {
  .filters { grid-template-columns: 1fr; }
  .brand p { display: none; }
}
@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
`;
