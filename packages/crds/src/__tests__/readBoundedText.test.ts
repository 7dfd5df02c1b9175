import { startStreamingServer } from '@agent-registry/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readBoundedText } from '../readBoundedText.js';

describe('readBoundedText', () => {
  it('reads a body up to the bound, as UTF-8', async () => {
    expect(await readBoundedText(new Response('héllo'), 6)).toBe('héllo');
    expect(await readBoundedText(new Response(null), 0)).toBe('');
  });

  it('refuses a declared content-length over the bound without reading', async () => {
    const response = new Response('0123456789', { headers: { 'content-length': '10' } });
    expect(await readBoundedText(response, 9)).toBeUndefined();
    expect(response.bodyUsed).toBe(true); // cancelled, so the connection is released
  });

  it('stops reading a streamed body (no content-length) once it passes the bound', async () => {
    // 64 MiB offered in 64 KiB chunks; a 1 MiB bound must not read anything near all of it.
    const server = await startStreamingServer(1024, 64 * 1024);
    onTestFinished(() => server.close());
    const response = await fetch(server.url);
    expect(response.headers.get('content-length')).toBeNull();
    expect(await readBoundedText(response, 1024 * 1024)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.sent()).toBeLessThan(32 * 1024 * 1024);
  });
});
