/** Where the page finds its script and stylesheet (content-hashed, so they can be cached forever). */
export interface CatalogPageAssets {
  scriptUrl: string;
  stylesUrl: string;
}

// A data: icon stops the browser asking for /favicon.ico (a 404 in the console).
const favicon =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='8' fill='%233451d1'/%3E%3Ctext x='16' y='21' font-family='sans-serif' font-size='14' font-weight='700' fill='white' text-anchor='middle'%3EAR%3C/text%3E%3C/svg%3E";

/**
 * The catalog's single HTML document: a static shell the script fills in.
 * No inline script or style, so the Content-Security-Policy can forbid both.
 */
export function renderCatalogPage(assets: CatalogPageAssets): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="Browse the A2A agents registered in this cluster.">
<title>Agent Registry</title>
<link rel="icon" href="${favicon}">
<link rel="stylesheet" href="${assets.stylesUrl}">
<script type="module" src="${assets.scriptUrl}"></script>
</head>
<body>
<a class="skip-link" href="#results">Skip to results</a>
<header class="topbar">
  <div class="brand">
    <span class="brand__mark" aria-hidden="true">AR</span>
    <div>
      <h1>Agent Registry</h1>
      <p>Discover A2A agents and their cards</p>
    </div>
  </div>
  <span id="live" class="live" hidden>Live updates</span>
</header>
<main class="layout">
  <form id="filters" class="filters" role="search" aria-label="Search agents">
    <div class="field field--grow">
      <label for="q">Search</label>
      <input id="q" name="q" type="search" placeholder="Name, description or skill" autocomplete="off" spellcheck="false">
    </div>
    <div class="field">
      <label for="skill">Skill</label>
      <input id="skill" name="skill" list="skill-options" placeholder="Any skill" autocomplete="off" spellcheck="false">
      <datalist id="skill-options"></datalist>
    </div>
    <div class="field">
      <label for="tag">Tag</label>
      <input id="tag" name="tag" list="tag-options" placeholder="Any tag" autocomplete="off" spellcheck="false">
      <datalist id="tag-options"></datalist>
    </div>
    <div class="field">
      <label for="health">Health</label>
      <select id="health" name="health">
        <option value="">Any</option>
        <option value="Healthy">Healthy</option>
        <option value="Unhealthy">Unhealthy</option>
        <option value="Unknown">Unknown</option>
      </select>
    </div>
    <button type="reset" class="button button--ghost">Clear</button>
  </form>

  <div id="content" class="content">
    <section class="results" aria-labelledby="results-title">
      <div class="results__head">
        <h2 id="results-title" class="visually-hidden">Agents</h2>
        <p id="result-count" role="status" aria-live="polite" aria-atomic="true">Loading agents…</p>
      </div>
      <p id="error" class="error" role="alert" hidden></p>
      <ul id="results" class="cards" tabindex="-1"></ul>
      <p id="empty" class="empty" hidden>No agents match these filters.</p>
      <button type="button" id="load-more" class="button button--ghost load-more" hidden>Load more</button>
    </section>

    <aside id="details" class="details" aria-labelledby="details-title" hidden>
      <div class="details__head">
        <div>
          <p id="details-namespace" class="details__ns"></p>
          <h2 id="details-title" tabindex="-1"></h2>
        </div>
        <span id="details-health" class="badge"></span>
        <button type="button" id="details-close" class="icon-button" aria-label="Close details">×</button>
      </div>
      <p id="details-description" class="details__description"></p>

      <div class="details__section">
        <label for="well-known-url" class="section-label">Well-known URL</label>
        <div class="copy-field">
          <input id="well-known-url" readonly>
          <button type="button" id="copy-url" class="button">Copy</button>
        </div>
        <p id="copy-status" class="hint" role="status" aria-live="polite"></p>
      </div>

      <dl id="details-facts" class="facts"></dl>

      <section class="details__section" aria-labelledby="skills-title">
        <h3 id="skills-title">Skills</h3>
        <ul id="details-skills" class="skill-list"></ul>
      </section>

      <section class="details__section" aria-labelledby="conditions-title">
        <h3 id="conditions-title">Conditions</h3>
        <ul id="details-conditions" class="conditions"></ul>
      </section>

      <section class="details__section" aria-labelledby="a2a-title">
        <div class="json-head">
          <h3 id="a2a-title">A2A card JSON</h3>
          <fieldset class="segmented">
            <legend class="visually-hidden">A2A protocol version</legend>
            <label><input type="radio" name="a2a-version" value="0.3.0" checked><span>0.3.0</span></label>
            <label><input type="radio" name="a2a-version" value="1.0"><span>1.0</span></label>
          </fieldset>
        </div>
        <pre class="json" tabindex="0" aria-labelledby="a2a-title" aria-busy="false"><code id="a2a-json"></code></pre>
        <div class="json-actions">
          <a id="a2a-raw" href="#" target="_blank" rel="noopener">Open raw JSON</a>
        </div>
      </section>
    </aside>
  </div>
</main>
</body>
</html>
`;
}
