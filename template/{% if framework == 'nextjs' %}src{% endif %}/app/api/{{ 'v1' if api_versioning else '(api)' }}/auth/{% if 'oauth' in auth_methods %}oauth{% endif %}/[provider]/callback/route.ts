/**
 * GET oauth/{provider}/callback: where the provider sends the browser back. It always redirects to
 * OAUTH_REDIRECT_URL, with `?code=` (a single-use sign-in code for POST /auth/oauth/token) or `?error=`, and clears
 * the `oauth_state` cookie; only a provider the project does not offer gets a 404 instead.
 */
import { methodNotAllowed } from "@/lib/http";
import {
  findProvider,
  finishSignIn,
  readCookie,
  STATE_COOKIE,
  signInRedirect,
  stateCookie,
} from "@/lib/oauth";
import { problem } from "@/lib/problem";

export async function GET(
  request: Request,
  { params }: { params: Promise<{ provider: string }> },
): Promise<Response> {
  const { provider: name } = await params;
  const provider = findProvider(name);
  if (!provider) return problem(request, 404, `Unknown OAuth provider '${name}'.`);
  const query = new URL(request.url).searchParams;
  const result = await finishSignIn(provider, query, readCookie(request, STATE_COOKIE));
  return new Response(null, {
    status: 302,
    headers: {
      location: signInRedirect(result),
      "set-cookie": stateCookie("", 0),
      "cache-control": "no-store",
    },
  });
}

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
