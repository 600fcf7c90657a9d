/**
 * One delivery's POST, through node:http(s) rather than fetch: it never follows a redirect (a public URL must not
 * bounce the request into the private network), and it can be pinned to the addresses destinations.ts checked.
 */
import type { LookupAddress } from "node:dns";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";

/** Seconds to wait for the subscriber's answer. */
export const TIMEOUT_SECONDS = 10;
/** What is kept of the answer's body: enough for `last_error`. */
const KEPT_BYTES = 2048;

/** The subscriber's answer: its status and the start of its body. */
export type Answer = { status: number; text: string };

/** A `lookup` that gives the connection `addresses` only: no second DNS query that could answer differently. */
function pinned(addresses: readonly LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = options.family === 4 || options.family === 6 ? options.family : 0;
    const usable = addresses.filter((entry) => family === 0 || entry.family === family);
    const first = usable[0];
    if (!first) {
      callback(Object.assign(new Error("no checked address of that family"), { code: "ENOTFOUND" }), "", 0);
    } else if (options.all) {
      callback(null, usable);
    } else {
      callback(null, first.address, first.family);
    }
  };
}

/** POST `body` to `url` and resolve to the answer, whatever its status; a network failure or timeout rejects. */
export function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  addresses?: readonly LookupAddress[],
): Promise<Answer> {
  const target = new URL(url);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      {
        method: "POST",
        headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
        agent: false, // a connection per delivery: none is reused for a URL checked against other addresses
        lookup: addresses ? pinned(addresses) : undefined,
        signal: AbortSignal.timeout(TIMEOUT_SECONDS * 1000),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on("data", (chunk: Buffer) => {
          if (kept < KEPT_BYTES) chunks.push(chunk);
          kept += chunk.length;
        });
        response.on("end", () => {
          const text = Buffer.concat(chunks).subarray(0, KEPT_BYTES).toString("utf8");
          resolve({ status: response.statusCode ?? 0, text });
        });
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** A failed request as the delivery log shows it: the error's code and message, never more than 1,000 characters. */
export function describeFailure(error: unknown): string {
  if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) {
    return `Timeout: no answer within ${TIMEOUT_SECONDS} s`;
  }
  const code = (error as { code?: unknown }).code;
  const kind = typeof code === "string" ? code : error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  return `${kind}: ${message}`.slice(0, 1000);
}
