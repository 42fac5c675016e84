import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Longest receiver URL accepted. */
export const URL_MAX_LENGTH = 2048;

/** Why a target is refused, with a stable code (the mutation's userError code). */
export class TargetRefused extends Error {
  constructor(
    readonly code: 'INVALID_URL' | 'HOST_NOT_FOUND' | 'ADDRESS_NOT_ALLOWED',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The range that makes an address unfit for a webhook (private, loopback, link-local,
 * unique-local, multicast, unspecified, carrier-grade NAT, reserved, and every special-purpose
 * IPv6 block that may embed an IPv4 address: 6to4, Teredo, NAT64), or null when it is an
 * ordinary public unicast address. IPv4-mapped IPv6 addresses are judged as the IPv4 address.
 * Ranges are ipaddr.js's own table (RFC 6890 and its successors).
 */
export function refusedRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'invalid';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  return range === 'unicast' ? null : range;
}

/** Parses and checks a receiver URL's form: http or https, a host, no credentials. */
export function parseTargetUrl(text: string): URL {
  if (text.length > URL_MAX_LENGTH) {
    throw new TargetRefused('INVALID_URL', `url is longer than ${URL_MAX_LENGTH} characters.`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TargetRefused('INVALID_URL', 'url is not an absolute URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TargetRefused('INVALID_URL', 'url must use http or https.');
  }
  if (!url.hostname) throw new TargetRefused('INVALID_URL', 'url has no host.');
  if (url.username || url.password) {
    throw new TargetRefused(
      'INVALID_URL',
      'url must not hold credentials; receivers verify the signature instead.',
    );
  }
  return url;
}

/** The host of a URL as an address or a name to resolve (IPv6 literals without brackets). */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Every address a name resolves to (the system resolver, as connections use it). */
async function resolveAll(host: string): Promise<Array<{ address: string; family: number }>> {
  try {
    return await dns.promises.lookup(host, { all: true, verbatim: true });
  } catch {
    throw new TargetRefused('HOST_NOT_FOUND', `The host ${host} of url does not resolve.`);
  }
}

/** Refuses addresses of private ranges, unless allowed. */
function checkAddresses(host: string, addresses: string[], allowPrivate: boolean): void {
  if (allowPrivate) return;
  for (const address of addresses) {
    const range = refusedRange(address);
    if (range) {
      throw new TargetRefused(
        'ADDRESS_NOT_ALLOWED',
        `The host ${host} of url resolves to ${address}, a ${range} address: webhooks are delivered to public addresses only.`,
      );
    }
  }
}

/**
 * Checks a receiver URL at creation: its form, then every address its host resolves to (an
 * address literal is checked as it is). Throws TargetRefused.
 */
export async function checkTarget(text: string, allowPrivate: boolean): Promise<URL> {
  const url = parseTargetUrl(text);
  const host = hostOf(url);
  const addresses = isIP(host) ? [host] : (await resolveAll(host)).map((a) => a.address);
  checkAddresses(host, addresses, allowPrivate);
  return url;
}

/**
 * A `lookup` for http.request that resolves the host, refuses the connection when any address
 * is in a refused range, and hands the connection the very addresses it checked: the check and
 * the connection use one resolution, so a name that changes its answer between them (DNS
 * rebinding) gains nothing. Node skips `lookup` for address literals: `checkLiteral` covers them.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolveAll(hostname).then(
      (addresses) => {
        try {
          checkAddresses(
            hostname,
            addresses.map((a) => a.address),
            allowPrivate,
          );
        } catch (e) {
          callback(e as NodeJS.ErrnoException, '', 0);
          return;
        }
        const wanted = options.family === 6 ? 6 : options.family === 4 ? 4 : 0;
        const usable = addresses.filter((a) => !wanted || a.family === wanted);
        if (usable.length === 0) {
          callback(new TargetRefused('HOST_NOT_FOUND', `No address for ${hostname}.`), '', 0);
        } else if (options.all) {
          (callback as unknown as (e: null, list: typeof usable) => void)(null, usable);
        } else {
          callback(null, usable[0].address, usable[0].family);
        }
      },
      (e: unknown) => callback(e as NodeJS.ErrnoException, '', 0),
    );
  };
}

/** Refuses a URL whose host is a literal address in a refused range (Node does not look it up). */
export function checkLiteral(url: URL, allowPrivate: boolean): void {
  const host = hostOf(url);
  if (isIP(host)) checkAddresses(host, [host], allowPrivate);
}
