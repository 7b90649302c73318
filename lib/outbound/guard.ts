/**
 * The SSRF guard's address rules: which IP addresses an outgoing request may connect to, and the
 * admin's allow-list (PARLEY_OUTBOUND_ALLOWLIST) of private hosts, IPs and CIDRs that are let through
 * anyway. IP range math is ipaddr.js's (a small, widely used library), not hand-written parsing.
 */
import ipaddr from "ipaddr.js";

type TAddr = ipaddr.IPv4 | ipaddr.IPv6;

export type TAllowlist = { hosts: Set<string>; ranges: Array<[TAddr, number]> };

/** Parses "host, 10.0.0.5, 192.168.0.0/16, ::1" into an allow-list; throws on a malformed IP or CIDR. */
export function parseAllowlist(text: string): TAllowlist {
  const list: TAllowlist = { hosts: new Set(), ranges: [] };
  for (const raw of text.split(",")) {
    const entry = raw.trim().toLowerCase().replace(/^\[|\]$/g, "");
    if (!entry) continue;
    if (entry.includes("/")) {
      if (!ipaddr.isValidCIDR(entry)) throw new Error(`PARLEY_OUTBOUND_ALLOWLIST: "${entry}" is not a valid CIDR`);
      const [addr, bits] = ipaddr.parseCIDR(entry);
      list.ranges.push(addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96 ? [(addr as ipaddr.IPv6).toIPv4Address(), bits - 96] : [addr, bits]);
    } else if (ipaddr.isValid(entry)) {
      const addr = normalise(ipaddr.parse(entry));
      list.ranges.push([addr, addr.kind() === "ipv4" ? 32 : 128]);
    } else if (/^[a-z0-9.-]+$/.test(entry)) {
      list.hosts.add(entry.replace(/\.$/, ""));
    } else {
      throw new Error(`PARLEY_OUTBOUND_ALLOWLIST: "${entry}" is neither a hostname, an IP nor a CIDR`);
    }
  }
  return list;
}

/** IPv4-mapped IPv6 (::ffff:127.0.0.1) is the IPv4 address it carries, for every rule below. */
function normalise(addr: TAddr): TAddr {
  if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()) return (addr as ipaddr.IPv6).toIPv4Address();
  return addr;
}

/** Parses an IP literal (with or without IPv6 brackets); undefined when `text` is not one. */
export function parseIp(text: string): TAddr | undefined {
  const bare = text.replace(/^\[|\]$/g, "");
  // Only the canonical forms: the URL parser already turned 0x7f.1 or 2130706433 into 127.0.0.1, and
  // a hostname such as "0x7f.1" that reached DNS is a name, not an address.
  if (ipaddr.IPv4.isValidFourPartDecimal(bare) || (bare.includes(":") && ipaddr.IPv6.isValid(bare))) return normalise(ipaddr.parse(bare));
  return undefined;
}

/**
 * Why an address may not be reached ("loopback", "private", "linkLocal", …), or null when it is a
 * public unicast address. Everything that is not plain unicast is refused: multicast, reserved,
 * carrier-grade NAT, unique-local, NAT64/6to4/Teredo (they embed IPv4 addresses) and the like.
 */
export function blockedRange(input: TAddr): string | null {
  const addr = normalise(input);
  if (addr.kind() === "ipv6") {
    const v6 = addr as ipaddr.IPv6;
    // ::/96 holds the deprecated IPv4-compatible form (::127.0.0.1); ipaddr.js calls it unicast.
    if (v6.parts.slice(0, 6).every((p) => p === 0)) return "ipv4Compatible";
    if (v6.zoneId) return "linkLocal";
  }
  const range = addr.range();
  return range === "unicast" ? null : range;
}

/** Whether the allow-list lets `host` (as written in the URL) or `addr` (what it resolved to) through. */
export function isAllowlisted(list: TAllowlist, host: string, addr: TAddr): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (list.hosts.has(name)) return true;
  const a = normalise(addr);
  return list.ranges.some(([net, bits]) => net.kind() === a.kind() && a.match(net, bits));
}
