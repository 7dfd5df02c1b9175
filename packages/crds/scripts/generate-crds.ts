/**
 * Writes the CRD manifests generated from the valibot schemas to `manifests/`.
 * Run with `npm run generate:crds`; a test fails when the checked-in files drift.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { renderCrdManifests } from './crdManifests.js';

const outDir = new URL('../manifests/', import.meta.url);
mkdirSync(outDir, { recursive: true });
for (const [file, text] of Object.entries(renderCrdManifests())) {
  writeFileSync(new URL(file, outDir), text);
  console.log(`wrote manifests/${file}`);
}
