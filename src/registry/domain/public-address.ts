import { BlockList, isIP } from 'node:net';

/** Why an address is not on the public Internet, from IANA's special-purpose address registries. */
export type AddressKind =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'site-local'
  | 'carrier-grade NAT'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved'
  | 'not an IP address';

const IPV4_RANGES: [AddressKind, string, number][] = [
  ['unspecified', '0.0.0.0', 8],
  ['private', '10.0.0.0', 8],
  ['carrier-grade NAT', '100.64.0.0', 10],
  ['loopback', '127.0.0.0', 8],
  ['link-local', '169.254.0.0', 16],
  ['private', '172.16.0.0', 12],
  ['reserved', '192.0.0.0', 24],
  ['documentation', '192.0.2.0', 24],
  ['reserved', '192.88.99.0', 24],
  ['private', '192.168.0.0', 16],
  ['benchmarking', '198.18.0.0', 15],
  ['documentation', '198.51.100.0', 24],
  ['documentation', '203.0.113.0', 24],
  ['multicast', '224.0.0.0', 4],
  ['broadcast', '255.255.255.255', 32],
  ['reserved', '240.0.0.0', 4],
];

// Checked in this order; anything outside 2000::/3 (global unicast) is reserved. The forms that
// embed an IPv4 address (mapped, NAT64, 6to4) are judged by that address before these.
const IPV6_RANGES: [AddressKind, string, number][] = [
  ['unspecified', '::', 128],
  ['loopback', '::1', 128],
  ['link-local', 'fe80::', 10],
  ['site-local', 'fec0::', 10],
  ['unique-local', 'fc00::', 7],
  ['multicast', 'ff00::', 8],
  ['documentation', '2001:db8::', 32],
  ['documentation', '3fff::', 20],
  // IETF protocol assignments: Teredo, ORCHID, benchmarking (2001:2::/48) and the like.
  ['reserved', '2001::', 23],
  ['reserved', '5f00::', 16],
];

function blockList(family: 'ipv4' | 'ipv6', prefix: string, length: number): BlockList {
  const list = new BlockList();
  list.addSubnet(prefix, length, family);
  return list;
}

const IPV4_LISTS = IPV4_RANGES.map(([kind, prefix, length]) => [kind, blockList('ipv4', prefix, length)] as const);
const IPV6_LISTS = IPV6_RANGES.map(([kind, prefix, length]) => [kind, blockList('ipv6', prefix, length)] as const);
const GLOBAL_UNICAST = blockList('ipv6', '2000::', 3);

/** The eight 16-bit groups of a valid IPv6 address (zone and brackets already removed). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const before = head ? head.split(':') : [];
  const after = tail ? tail.split(':') : [];
  const groups = tail === undefined ? before : [...before, ...Array<string>(8 - before.length - after.length).fill('0'), ...after];
  return groups.map((group) => parseInt(group, 16));
}

const ipv4Of = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;

/** The IPv4 address an IPv6 address stands for: IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96), 6to4 (2002::/16). */
function embeddedIpv4(address: string): string | null {
  const g = ipv6Groups(address);
  const zeros = (from: number, to: number) => g.slice(from, to).every((group) => group === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return ipv4Of(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return ipv4Of(g[6], g[7]);
  if (g[0] === 0x2002) return ipv4Of(g[1], g[2]);
  return null;
}

/**
 * Null when the address is public (routable on the Internet); otherwise the kind of range it
 * falls in. The one place that decides which addresses the service may send webhooks to.
 */
export function nonPublicKind(address: string): AddressKind | null {
  const bare = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return IPV4_LISTS.find(([, list]) => list.check(bare, 'ipv4'))?.[0] ?? null;
  if (family !== 6) return 'not an IP address';
  const ipv4 = embeddedIpv4(bare);
  if (ipv4 !== null) return nonPublicKind(ipv4);
  const kind = IPV6_LISTS.find(([, list]) => list.check(bare, 'ipv6'))?.[0];
  if (kind) return kind;
  return GLOBAL_UNICAST.check(bare, 'ipv6') ? null : 'reserved';
}

const ARTICLE: Partial<Record<AddressKind, string>> = { unspecified: 'the', broadcast: 'the', 'not an IP address': '' };

/** "a private address", "the unspecified address": for messages that name the rule broken. */
export function describeKind(kind: AddressKind): string {
  if (kind === 'not an IP address') return kind;
  return `${ARTICLE[kind] ?? 'a'} ${kind} address`;
}
