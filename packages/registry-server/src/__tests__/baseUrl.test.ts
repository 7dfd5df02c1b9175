import { describe, expect, it } from 'vitest';
import { baseUrlResolver, RELATIVE_BASE, type BaseUrlHeader, type BaseUrlRequest } from '../http/origin.js';

/** A request whose reads are recorded: the resolver should ask only for what decides the base URL. */
function recorded(headers: Partial<Record<BaseUrlHeader, string>>, remoteAddress?: string) {
  const reads: string[] = [];
  const request: BaseUrlRequest = {
    header: (name) => (reads.push(name), headers[name]),
    remoteAddress: () => (reads.push('remoteAddress'), remoteAddress),
  };
  return { request, reads };
}

describe('baseUrlResolver reads the request on demand', () => {
  it('reads nothing with --public-url or without --allowed-hosts', () => {
    const bare = recorded({ host: 'registry.example.com' }, '10.0.0.1');
    expect(baseUrlResolver({})(bare.request)).toBe(RELATIVE_BASE);
    const fixed = recorded({ host: 'registry.example.com' }, '10.0.0.1');
    expect(baseUrlResolver({ publicUrl: 'https://public.example/' })(fixed.request)).toBe(
      'https://public.example',
    );
    expect([...bare.reads, ...fixed.reads]).toEqual([]);
  });

  it('reads only Host when no proxy is trusted', () => {
    const { request, reads } = recorded({ host: 'Registry.example.com', 'x-forwarded-host': 'evil.example' });
    expect(baseUrlResolver({ allowedHosts: ['registry.example.com'] })(request)).toBe(
      'http://registry.example.com',
    );
    expect(reads).toEqual(['host']);
  });

  it('believes X-Forwarded-Host/-Proto from a trusted proxy only', () => {
    const resolve = baseUrlResolver({
      allowedHosts: ['registry.example.com'],
      isTrustedProxy: (address) => address === '10.0.0.1',
    });
    const forwarded = {
      host: 'internal:8080',
      'x-forwarded-host': 'registry.example.com',
      'x-forwarded-proto': 'https',
    };
    expect(resolve(recorded(forwarded, '10.0.0.1').request)).toBe('https://registry.example.com');
    expect(resolve(recorded(forwarded, '10.0.0.2').request)).toBe(RELATIVE_BASE);
    const direct = recorded(forwarded, '10.0.0.2');
    resolve(direct.request);
    expect(direct.reads).toEqual(['remoteAddress', 'host']);
  });
});
