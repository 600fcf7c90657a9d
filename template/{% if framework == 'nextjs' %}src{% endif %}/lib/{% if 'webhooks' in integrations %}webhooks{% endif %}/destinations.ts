/**
 * Where outgoing webhooks may go: public addresses only, so a subscriber cannot make the server call its own
 * network (server-side request forgery: cloud metadata at 169.254.169.254, databases, admin ports on 127.0.0.1...).
 *
 * A URL is checked when it is registered (literal addresses and `localhost`) and again right before every delivery,
 * against its DNS answers; the delivery then connects to the addresses checked and no others (transport.ts), so a
 * name cannot point somewhere else in between. Redirects are never followed. Local development and tests that
 * deliver to 127.0.0.1 set WEBHOOK_ALLOW_PRIVATE_URLS=true.
 */
import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

const LOCAL_NAMES = new Set(["localhost", "localhost.localdomain"]);
const ADVICE = "set WEBHOOK_ALLOW_PRIVATE_URLS=true only for local development";

/**
 * Addresses that are not public: IANA's special-purpose ranges (those Python's `is_global` refuses) and multicast.
 * An IPv4-mapped IPv6 address (::ffff:127.0.0.1) matches the IPv4 ranges.
 */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, with the cloud metadata service
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and the broadcast address
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 96], // unspecified, loopback and the old IPv4-compatible form
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001::", 23],
  ["2001:db8::", 32],
  ["2002::", 16],
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10],
  ["ff00::", 8], // multicast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, "ipv6");
}

/** The URL points (or resolves) to an address outgoing webhooks must not reach. */
export class DestinationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DestinationRefused";
  }
}

/** How a name is resolved: every address, as `dns.lookup` (the system resolver, like the connection) gives them. */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

const systemResolve: Resolve = (hostname) => lookup(hostname, { all: true });

function refuseAddress(host: string, address: string): void {
  const family = isIP(address);
  if (family === 0 || NOT_PUBLIC.check(address, family === 6 ? "ipv6" : "ipv4")) {
    const shown = host === address ? host : `${host} (${address})`;
    throw new DestinationRefused(`${shown} is not a public address; ${ADVICE}`);
  }
}

/** The URL's host as the connection will use it: lower-case, IPv4 normalized (0x7f.1 is 127.0.0.1), no brackets. */
function host(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DestinationRefused("the URL is not valid");
  }
  const name = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!name) throw new DestinationRefused("the URL has no host");
  return name;
}

/** Refuse a URL whose host is a non-public literal address or a local name (no DNS: registration stays fast). */
export function checkRegisteredUrl(url: string): void {
  const name = host(url);
  const bare = name.replace(/\.$/, "");
  if (LOCAL_NAMES.has(bare) || bare.endsWith(".localhost")) {
    throw new DestinationRefused(`${name} is a local name; ${ADVICE}`);
  }
  if (isIP(name)) refuseAddress(name, name); // a name is checked against its DNS answers at delivery time
}

/**
 * Refuse a URL unless every address its host resolves to is public (called right before sending); returns those
 * addresses, for the connection to use.
 */
export async function checkDeliveryUrl(
  url: string,
  resolve: Resolve = systemResolve,
): Promise<LookupAddress[]> {
  checkRegisteredUrl(url);
  const name = host(url);
  const family = isIP(name);
  if (family) return [{ address: name, family }];
  let answers: LookupAddress[];
  try {
    answers = await resolve(name);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new DestinationRefused(
      `${name} does not resolve: ${typeof code === "string" ? code : String(error)}`,
    );
  }
  if (answers.length === 0) throw new DestinationRefused(`${name} does not resolve`);
  for (const { address } of answers) refuseAddress(name, address);
  return answers;
}
