import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';

/** The catalog's browser code and stylesheet, bundled. */
export interface CatalogBundle {
  script: string;
  styles: string;
}

// Both from src/ui/ (tests, `npm run dev`) and from dist/ui/ (the build), the sources are src/ui/browser/.
const SOURCES = fileURLToPath(new URL('../../src/ui/browser/', import.meta.url));
/** Where the build writes the bundle: dist/ui/assets/ (src/ui/assets/ never exists). */
const BUILT = fileURLToPath(new URL('./assets/', import.meta.url));
const FILES = { script: 'catalog.js', styles: 'catalog.css' } as const;

/**
 * Bundles src/ui/browser/ (TypeScript modules and catalog.css) with esbuild, in memory: ES2020
 * modules, minified, no eval and nothing inline, so the page's CSP can stay strict.
 * esbuild is a devDependency, loaded only here: a built registry never calls this.
 */
export function bundleCatalog(): CatalogBundle {
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof Esbuild;
  const result = esbuild.buildSync({
    entryPoints: [
      { in: join(SOURCES, 'main.ts'), out: 'catalog' },
      { in: join(SOURCES, 'catalog.css'), out: 'catalog' },
    ],
    outdir: 'out',
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    legalComments: 'none',
    // The shared packages' entry points also export Node-only helpers the catalog never imports;
    // tree-shaking drops them (checked below), so their `node:` imports need not resolve.
    external: ['node:*'],
    logLevel: 'silent',
  });
  const output = (name: string): string => {
    const file = result.outputFiles.find((candidate) => candidate.path.endsWith(`/out/${name}`));
    if (!file) throw new Error(`esbuild produced no ${name}`);
    return file.text;
  };
  const bundle = { script: output(FILES.script), styles: output(FILES.styles) };
  if (/\bnode:/.test(bundle.script))
    throw new Error('the catalog bundle imports a Node built-in: a browser module pulled in Node-only code');
  return bundle;
}

/** Writes the bundle where a built registry reads it (the `build` target runs this after tsc). */
export function writeCatalogAssets(directory = BUILT): void {
  const bundle = bundleCatalog();
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, FILES.script), bundle.script);
  writeFileSync(join(directory, FILES.styles), bundle.styles);
}

let loaded: CatalogBundle | undefined;

/**
 * The catalog's assets: the built ones next to this module in dist/, else — running from sources
 * (tests, `npm run dev`) — bundled now, once per process.
 */
export function catalogAssets(): CatalogBundle {
  if (loaded) return loaded;
  const script = join(BUILT, FILES.script);
  const styles = join(BUILT, FILES.styles);
  if (existsSync(script) && existsSync(styles)) {
    loaded = { script: readFileSync(script, 'utf8'), styles: readFileSync(styles, 'utf8') };
  } else {
    try {
      loaded = bundleCatalog();
    } catch (error) {
      throw new Error(
        `the web catalog's assets are not in ${BUILT} and cannot be bundled from ${SOURCES} ` +
          `(build the registry: npx nx run @agent-registry/registry:build): ${(error as Error).message}`,
      );
    }
  }
  return loaded;
}
