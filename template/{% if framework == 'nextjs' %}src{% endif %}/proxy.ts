/**
 * Runs before every API route (Next.js 16 `proxy.ts`, formerly `middleware.ts`): request ids, CORS and the
 * security headers, so no handler has to remember them; and the 405 to methods no route file can export.
 */
import { type NextRequest, NextResponse } from "next/server";
import { corsOrigins } from "@/lib/config";
import { problem } from "@/lib/problem";
import { allowedMethods } from "@/lib/routes";

const SECURITY_HEADERS: [string, string][] = [
  ["x-content-type-options", "nosniff"],
  ["x-frame-options", "DENY"],
  ["referrer-policy", "no-referrer"],
  ["cross-origin-opener-policy", "same-origin"],
  // JSON needs no scripts or frames.
  ["content-security-policy", "default-src 'none'; frame-ancestors 'none'"],
];
const ALLOWED_METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT";
/**
 * The methods Next.js dispatches to a route file's handlers; any other a route cannot export (QUERY, PROPFIND...) is
 * answered here. TRACE, CONNECT and TRACK never get here: Next fails on them first (see schemathesis.toml).
 */
const ROUTABLE = new Set(ALLOWED_METHODS.split(", "));
const allowedOrigins = new Set(corsOrigins());

/** Keep a caller's X-Request-ID for tracing if it is short and printable; otherwise make one. */
function requestId(request: NextRequest): string {
  const incoming = request.headers.get("x-request-id");
  if (incoming && incoming.length <= 128 && /^[\x20-\x7e]+$/.test(incoming)) return incoming;
  return crypto.randomUUID().replaceAll("-", "");
}

function decorate(response: Response, id: string, origin: string | null): Response {
  response.headers.set("x-request-id", id);
  for (const [name, value] of SECURITY_HEADERS) response.headers.set(name, value);
  if (origin && (allowedOrigins.has(origin) || allowedOrigins.has("*"))) {
    response.headers.set("access-control-allow-origin", origin);
    response.headers.set("access-control-allow-credentials", "true");
    response.headers.set("access-control-expose-headers", "X-Request-ID");
    response.headers.append("vary", "Origin");
  }
  return response;
}

export function proxy(request: NextRequest): Response {
  const id = requestId(request);
  const origin = request.headers.get("origin");
  if (request.method === "OPTIONS" && origin && request.headers.has("access-control-request-method")) {
    if (!allowedOrigins.has(origin) && !allowedOrigins.has("*")) {
      return decorate(problem(request, 400, "Disallowed CORS origin."), id, null);
    }
    const preflight = new Response(null, { status: 204 });
    preflight.headers.set("access-control-allow-methods", ALLOWED_METHODS);
    preflight.headers.set(
      "access-control-allow-headers",
      request.headers.get("access-control-request-headers") ?? "authorization, content-type",
    );
    preflight.headers.set("access-control-max-age", "600");
    return decorate(preflight, id, origin);
  }
  if (!ROUTABLE.has(request.method)) {
    const allow = allowedMethods(request.nextUrl.pathname);
    const refused = allow
      ? problem(request, 405, `${request.method} is not allowed here.`, { headers: { allow } })
      : problem(request, 404, "Not Found");
    return decorate(refused, id, origin);
  }
  const forwarded = new Headers(request.headers);
  forwarded.set("x-request-id", id);
  return decorate(NextResponse.next({ request: { headers: forwarded } }), id, origin);
}

export const config = { matcher: "/api/:path*" };
