/**
 * Where loading time and memory go, in one process from dist/: the bench cards in 100 files, timed
 * phase by phase — JSON parse, validation (the manifest reader's work beyond the parse), the card
 * index without and with the ranked text index — with the heap after each (GC'd).
 *
 *   npm run build && node --expose-gc --import tsx bench/loadProfile.ts     (BENCH_CARDS, BENCH_FILES)
 */
import type { AgentCard } from '@agent-registry/crds';
import { loadavg } from 'node:os';
import { generateCards } from './cards.js';
// Built modules, as the registry runs them.
import { parseManifestFile } from '../dist/store/manifestFile.js';
import { CardIndex } from '../dist/store/cardIndex.js';
import { CardSearch, searchDocumentOf } from '../dist/store/cardSearch.js';
import { keyOf } from '../dist/store/cardFields.js';

const COUNT = Number(process.env.BENCH_CARDS ?? 10_000);
const FILES = Number(process.env.BENCH_FILES ?? 100);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const heapMb = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};
const time = <T>(run: () => T): [T, number] => {
  const started = performance.now();
  const result = run();
  return [result, (performance.now() - started) / 1000];
};

const { manifests } = generateCards(COUNT);
const perFile = Math.ceil(COUNT / FILES);
const texts: string[] = [];
for (let start = 0; start < COUNT; start += perFile) {
  texts.push(
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: manifests.slice(start, start + perFile) }),
  );
}
manifests.length = 0;
const heapTexts = heapMb();

const [, parseSeconds] = time(() => texts.map((text) => JSON.parse(text) as unknown));
const [cards, readSeconds] = time(() => {
  const all: AgentCard[] = [];
  texts.forEach((text, i) => {
    for (const placed of parseManifestFile(`cards-${i}.json`, text).cards) all.push(placed.card);
  });
  return all;
});
texts.length = 0;
const heapCards = heapMb();

// The text index alone, kept until its heap is read, then let go.
let textIndex: CardSearch | undefined;
const [, searchSeconds] = time(() => {
  textIndex = new CardSearch();
  for (const card of cards) textIndex.add(searchDocumentOf(keyOf(card), card));
});
const heapSearch = heapMb();
if (textIndex?.size !== COUNT) throw new Error('the text index lost cards');
textIndex = undefined;
const heapBeforeIndex = heapMb();
const [index, indexSeconds] = time(() => {
  const index = new CardIndex();
  index.replaceAll(cards);
  return index;
});
const heapIndexed = heapMb();
const perCard = (mb: number): string => `${((mb * 1024 * 1024) / COUNT / 1024).toFixed(2)} KB/card`;
console.log(
  `${COUNT} cards in ${FILES} files; load average ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
console.table([
  { phase: 'JSON.parse', seconds: parseSeconds.toFixed(2) },
  { phase: 'validate (manifest reader minus JSON.parse)', seconds: (readSeconds - parseSeconds).toFixed(2) },
  {
    phase: 'index without text (CardIndex minus search)',
    seconds: (indexSeconds - searchSeconds).toFixed(2),
  },
  { phase: 'text index (search documents + CardSearch.add)', seconds: searchSeconds.toFixed(2) },
]);
console.table([
  { what: 'parsed cards (objects)', heap: perCard(heapCards - heapTexts) },
  { what: 'text index alone', heap: perCard(heapSearch - heapCards) },
  { what: 'card index incl. text index', heap: perCard(heapIndexed - heapBeforeIndex) },
  { what: 'total', heap: perCard(heapIndexed - heapBeforeIndex + heapCards - heapTexts) },
]);
if (index.size !== COUNT) throw new Error(`indexed ${index.size} of ${COUNT}`);
