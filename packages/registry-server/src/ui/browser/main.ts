/**
 * The web catalog's browser entry, bundled by esbuild (see ../catalogBundle.ts). No framework:
 * every value from the API is written with `textContent` or attribute setters, never parsed as HTML.
 */
import { closeDetails, copyWellKnownUrl, loadA2aCard, openDetails } from './details.js';
import { ui } from './elements.js';
import { watchCards } from './liveUpdates.js';
import { loadCards } from './results.js';
import { state } from './state.js';
import { readFiltersFromUrl, selectedFromHash, writeFiltersToUrl } from './urlState.js';

const SEARCH_DELAY_MS = 200;

let searchTimer = 0;
function onFiltersChanged(): void {
  clearTimeout(searchTimer);
  searchTimer = window.setTimeout(() => {
    writeFiltersToUrl();
    void loadCards(false);
  }, SEARCH_DELAY_MS);
}

ui.form.addEventListener('input', onFiltersChanged);
ui.form.addEventListener('change', onFiltersChanged);
ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  clearTimeout(searchTimer);
  writeFiltersToUrl();
  void loadCards(false);
});
// The form's inputs clear after the reset event: read them on the next turn.
ui.form.addEventListener('reset', () => setTimeout(onFiltersChanged));
ui.more.addEventListener('click', () => void loadCards(true));
ui.copy.addEventListener('click', () => void copyWellKnownUrl());
ui.close.addEventListener('click', closeDetails);
for (const radio of document.querySelectorAll('input[name="a2a-version"]'))
  radio.addEventListener('change', () => void loadA2aCard());
document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && state.selected) closeDetails();
});
window.addEventListener('hashchange', () => void openDetails(selectedFromHash()));

readFiltersFromUrl();
void loadCards(false).then(() => {
  const selection = selectedFromHash();
  if (selection) void openDetails(selection);
  watchCards();
});
