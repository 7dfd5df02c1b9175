import { Hono, type Env } from 'hono';
import type { BlankEnv } from 'hono/types';
import { renderCatalogPage } from './catalogPage.js';
import { catalogAssets } from './catalogBundle.js';
import { createStaticAsset, serveStaticAsset, type StaticAsset } from './staticAsset.js';

export const CATALOG_SCRIPT_PATH = '/ui/catalog.js';
export const CATALOG_STYLES_PATH = '/ui/catalog.css';

/**
 * The page may only load its own script, stylesheet and API; no inline code,
 * no frames, no plugins, no form posts elsewhere.
 */
export const CATALOG_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const IMMUTABLE = 'public, max-age=31536000, immutable';

const pageHeaders = {
  'content-security-policy': CATALOG_CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};
const assetHeaders = { 'x-content-type-options': 'nosniff' };

/**
 * The web catalog: `GET /` (the page) and its two content-hashed assets. The
 * page revalidates on every load (cheap 304s) so a new deploy shows at once;
 * the assets it names are cached for a year because their URLs change with
 * their content. Mount with `app.route('/', catalogRoutes<AppEnv>())`.
 */
export function catalogRoutes<E extends Env = BlankEnv>(): Hono<E> {
  const { script: catalogScript, styles: catalogStyles } = catalogAssets();
  const script = createStaticAsset(catalogScript, {
    contentType: 'text/javascript; charset=utf-8',
    cacheControl: IMMUTABLE,
  });
  const styles = createStaticAsset(catalogStyles, {
    contentType: 'text/css; charset=utf-8',
    cacheControl: IMMUTABLE,
  });
  const page = createStaticAsset(
    renderCatalogPage({
      scriptUrl: `${CATALOG_SCRIPT_PATH}?v=${script.version}`,
      stylesUrl: `${CATALOG_STYLES_PATH}?v=${styles.version}`,
    }),
    { contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' },
  );

  // Only the URL naming the current version may be cached forever; a stale
  // page asking for an old version gets today's content, revalidated each time.
  const versioned = (asset: StaticAsset, requested: string | undefined): StaticAsset =>
    requested === asset.version ? asset : { ...asset, cacheControl: 'no-cache' };

  const routes = new Hono<E>();
  routes.get('/', (c) => serveStaticAsset(c.req.raw, page, pageHeaders));
  routes.get(CATALOG_SCRIPT_PATH, (c) =>
    serveStaticAsset(c.req.raw, versioned(script, c.req.query('v')), assetHeaders),
  );
  routes.get(CATALOG_STYLES_PATH, (c) =>
    serveStaticAsset(c.req.raw, versioned(styles, c.req.query('v')), assetHeaders),
  );
  return routes;
}
