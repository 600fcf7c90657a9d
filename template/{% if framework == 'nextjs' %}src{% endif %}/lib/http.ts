/**
 * What the route handlers share: reading the body (raw with a size limit, or JSON), the numeric id in the path,
 * and the answer to a method a route does not serve.
 */
import { problem } from "./problem";

const MAX_ID = 2_147_483_647;

/** The parsed JSON body, or the 422 problem to return when it is not JSON. */
export async function parseJson(request: Request): Promise<unknown | Response> {
  return jsonOf(request, await request.text());
}

/** A body already read, parsed as JSON, or the same 422 problem. */
export function jsonOf(request: Request, text: string): unknown | Response {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return problem(request, 422, "The request is invalid; see errors.", {
      errors: [{ loc: ["body", 0], msg: "JSON decode error", type: "json_invalid" }],
    });
  }
}

/** The raw body, or null once it exceeds `limit` bytes: a huge body is refused without being held in memory. */
export async function readBody(request: Request, limit: number): Promise<Buffer<ArrayBuffer> | null> {
  if (Number(request.headers.get("content-length") ?? 0) > limit) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The `[id]` path segment as a positive 32-bit integer, or the 422 problem (naming it `name`) to return. */
export function parseId(request: Request, raw: string, name = "id"): number | Response {
  const id = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isInteger(id) && id >= 1 && id <= MAX_ID) return id;
  return problem(request, 422, "The request is invalid; see errors.", {
    errors: [
      { loc: ["path", name], msg: `Input should be an integer from 1 to ${MAX_ID}`, type: "int_parsing" },
    ],
  });
}

/** The methods a route file exports handlers for. */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** The `Allow` header of a route serving `allowed`: HEAD comes with GET, and OPTIONS is always answered. */
export function allowHeader(allowed: readonly Method[]): string {
  const methods = new Set<string>(allowed);
  if (methods.has("GET")) methods.add("HEAD");
  methods.add("OPTIONS");
  return [...methods].join(", ");
}

/**
 * The handler for the methods a route does not serve, to export under each of their names and as OPTIONS:
 * a 405 problem with an `Allow` header (Next.js alone answers an empty 405), and 204 with the same `Allow`
 * to a plain OPTIONS (CORS preflights never get here: src/proxy.ts answers them).
 *
 *     const notAllowed = methodNotAllowed("GET", "POST");
 *     export const PUT = notAllowed;
 *     export const PATCH = notAllowed;
 *     export const DELETE = notAllowed;
 *     export const OPTIONS = notAllowed;
 */
export function methodNotAllowed(...allowed: Method[]): (request: Request) => Response {
  const allow = allowHeader(allowed);
  return (request) => {
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: { allow } });
    return problem(request, 405, `${request.method} is not allowed here; use ${allowed.join(" or ")}.`, {
      headers: { allow },
    });
  };
}
