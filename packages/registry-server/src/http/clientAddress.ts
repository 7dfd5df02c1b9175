import { BlockList, isIP } from 'node:net';

/** Resolves a request's client address from its TCP peer and `X-Forwarded-For`. */
export type ClientAddressResolver = (
  remoteAddress: string | undefined,
  forwardedFor: string | undefined,
) => string;

/** `::ffff:10.0.0.1` → `10.0.0.1`, so one client has one key whichever socket family it came in on. */
function normalize(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** Whether `value` is an IP address or a CIDR block (`10.0.0.0/8`, `fd00::/8`). */
export function isIpOrCidr(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * The client address as the rate limiter and the request log see it. Without trusted proxies it is the
 * TCP peer and `X-Forwarded-For` is ignored (anyone can send one). With them, a request whose peer is a
 * trusted proxy is attributed to the rightmost `X-Forwarded-For` hop that is not itself trusted: hops
 * left of it were written by the client and can be forged.
 */
export function clientAddressResolver(trustedProxies: readonly string[] = []): ClientAddressResolver {
  if (trustedProxies.length === 0) return (remoteAddress) => remoteAddress ?? 'unknown';
  const isTrusted = trustedProxyMatcher(trustedProxies);
  return (remoteAddress, forwardedFor) => {
    const peer = normalize(remoteAddress ?? 'unknown');
    if (!forwardedFor || !isTrusted(peer)) return peer;
    const hops = forwardedFor.split(',');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = normalize(hops[i]!.trim());
      // A hop that is not an address is the client's own invention: stop at it, as at any untrusted hop.
      if (isIP(hop) === 0) return peer;
      if (!isTrusted(hop)) return hop;
    }
    return peer; // Every hop is a trusted proxy: the request started inside.
  };
}

/** Whether an address (a TCP peer or a forwarded hop) is one of the trusted proxies. */
export function trustedProxyMatcher(trustedProxies: readonly string[] = []): (address: string) => boolean {
  if (trustedProxies.length === 0) return () => false;
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    if (!isIpOrCidr(entry)) throw new TypeError(`${JSON.stringify(entry)} is not an IP address or CIDR`);
    const [address, prefix] = entry.split('/') as [string, string | undefined];
    const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) trusted.addAddress(address, family);
    else trusted.addSubnet(address, Number(prefix), family);
  }
  return (address) => {
    const normalized = normalize(address);
    const family = isIP(normalized);
    return family !== 0 && trusted.check(normalized, family === 4 ? 'ipv4' : 'ipv6');
  };
}
