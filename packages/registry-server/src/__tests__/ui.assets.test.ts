import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  catalogRoutes,
  CATALOG_CONTENT_SECURITY_POLICY,
  CATALOG_SCRIPT_PATH,
  CATALOG_STYLES_PATH,
} from '../ui/index.js';

const routes = catalogRoutes();

async function assetUrls(): Promise<{ script: string; styles: string }> {
  const html = await (await routes.request('/')).text();
  const script = /<script type="module" src="([^"]+)"><\/script>/.exec(html)?.[1];
  const styles = /<link rel="stylesheet" href="([^"]+)">/.exec(html)?.[1];
  if (!script || !styles) throw new Error(`the page names no script or stylesheet:\n${html}`);
  return { script, styles };
}

describe('catalog routes', () => {
  it('serves the page with a strict Content-Security-Policy and no inline code', async () => {
    const response = await routes.request('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy');
    expect(csp).toBe(CATALOG_CONTENT_SECURITY_POLICY);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("default-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script is external
    expect(html).not.toMatch(/\sstyle=|<style/); // no inline style either
    expect(html).not.toMatch(/\son[a-z]+=/); // no inline event handlers
  });

  it('names content-hashed assets that are cached for a year', async () => {
    const { script, styles } = await assetUrls();
    expect(script).toMatch(new RegExp(`^${CATALOG_SCRIPT_PATH}\\?v=[\\w-]{16}$`));
    expect(styles).toMatch(new RegExp(`^${CATALOG_STYLES_PATH}\\?v=[\\w-]{16}$`));
    const js = await routes.request(script);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const code = await js.text();
    // The catalog's data source, the read contract's REST base (the bundle may join it to `/cards` at run time).
    expect(code).toContain('"/api/v1alpha1/registry"');
    // Bundled for the browser: one self-contained module, nothing left for Node to resolve.
    expect(code).not.toMatch(/\bnode:|\bimport\s*\(|\bfrom\s*["']/);
    expect(code).not.toMatch(/\beval\(|new Function\(/); // the CSP allows neither
    const css = await routes.request(styles);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('.card');
  });

  it('revalidates an unversioned or stale asset URL instead of caching it forever', async () => {
    const stale = await routes.request(`${CATALOG_SCRIPT_PATH}?v=old`);
    expect(stale.status).toBe(200);
    expect(stale.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers 304 to a matching If-None-Match, per encoding', async () => {
    const first = await routes.request('/');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]{16}"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');

    const again = await routes.request('/', { headers: { 'if-none-match': `"other", W/${etag}` } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');

    const gzipped = await routes.request('/', { headers: { 'accept-encoding': 'br, gzip' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(gzipped.headers.get('etag')).not.toBe(etag);
    expect(gzipped.headers.get('vary')).toBe('Accept-Encoding');
    const body = gunzipSync(Buffer.from(await gzipped.arrayBuffer())).toString('utf8');
    expect(body).toBe(await first.text());
    const gzipEtag = gzipped.headers.get('etag') ?? '';
    const stillGzip = await routes.request('/', {
      headers: { 'accept-encoding': 'gzip', 'if-none-match': gzipEtag },
    });
    expect(stillGzip.status).toBe(304);
    const changedEncoding = await routes.request('/', { headers: { 'if-none-match': gzipEtag } });
    expect(changedEncoding.status).toBe(200);
  });

  it('answers HEAD without a body', async () => {
    const response = await routes.request('/', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBeTruthy();
    expect(await response.text()).toBe('');
  });
});
