/**
 * `X-Webhook-Signature: t=<unix>,v1=<hex>`: HMAC-SHA256 of `${t}.${raw body}` (Stripe's scheme). Signing the
 * timestamp with the body lets a receiver refuse replays of old requests.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "X-Webhook-Signature";

/** The signature header is missing, malformed, wrong or too old; the message says which. */
export class SignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SignatureError";
  }
}

/** The hex HMAC of `body` signed at `timestamp` (seconds). */
export function compute(secret: string, timestamp: number, body: string | Uint8Array): string {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");
}

/** The header value for `body` signed now (or at `timestamp`). */
export function sign(
  secret: string,
  body: string | Uint8Array,
  timestamp: number = Math.floor(Date.now() / 1000),
): string {
  return `t=${timestamp},v1=${compute(secret, timestamp, body)}`;
}

/** Compared in constant time, so the answer's timing tells nothing about how much of a guess was right. */
function same(expected: string, candidate: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(candidate);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The signed timestamp, or SignatureError saying why the request is refused. */
export function verify(
  secret: string,
  body: string | Uint8Array,
  header: string | null | undefined,
  tolerance: number,
  now: number = Date.now() / 1000,
): number {
  if (!header) throw new SignatureError(`missing ${SIGNATURE_HEADER} header`);
  let timestamp: number | null = null;
  const candidates: string[] = [];
  for (const part of header.split(",")) {
    const [key = "", ...rest] = part.trim().split("=");
    const value = rest.join("=");
    if (key === "t" && /^\d+$/.test(value)) timestamp = Number(value);
    else if (key === "v1" && value) candidates.push(value); // several v1 values allow rotating the secret
  }
  if (timestamp === null || candidates.length === 0) {
    throw new SignatureError(`malformed ${SIGNATURE_HEADER} header`);
  }
  if (Math.abs(now - timestamp) > tolerance) throw new SignatureError("timestamp outside the tolerance");
  const expected = compute(secret, timestamp, body);
  if (!candidates.some((candidate) => same(expected, candidate))) {
    throw new SignatureError("signature does not match");
  }
  return timestamp;
}
