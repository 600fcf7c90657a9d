/**
 * GET oauth/{provider}/authorize: a browser navigation that starts signing in with the provider. It redirects to the
 * provider's authorization page with a state and a PKCE challenge, and sets the `oauth_state` cookie the callback
 * checks. 404 for a provider the project does not offer, 503 for one without a client id or secret.
 */
import { methodNotAllowed } from "@/lib/http";
import { connect, findProvider, startSignIn } from "@/lib/oauth";
import { problem } from "@/lib/problem";

export async function GET(
  request: Request,
  { params }: { params: Promise<{ provider: string }> },
): Promise<Response> {
  const { provider: name } = await params;
  const provider = findProvider(name);
  if (!provider) return problem(request, 404, `Unknown OAuth provider '${name}'.`);
  const connection = connect(provider);
  if (!connection) return problem(request, 503, `OAuth provider '${name}' is not configured.`);
  const { location, cookie } = await startSignIn(connection);
  return new Response(null, {
    status: 302,
    headers: { location, "set-cookie": cookie, "cache-control": "no-store" },
  });
}

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
