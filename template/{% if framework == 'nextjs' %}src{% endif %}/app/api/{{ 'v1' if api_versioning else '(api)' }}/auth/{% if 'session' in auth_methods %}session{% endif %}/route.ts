/**
 * POST starts a cookie session with the OAuth2 password form: the same check, audit events and sign-in rate limit as
 * /auth/login, but refused before the check when another site's page sent it. DELETE ends the caller's session, which takes its cookie and its CSRF token.
 */
import { passwordSignIn } from "@/lib/accounts";
import { authenticateSession } from "@/lib/auth";
import { methodNotAllowed } from "@/lib/http";
import { crossSiteSignIn, endSession, startSession } from "@/lib/sessions";

export async function POST(request: Request): Promise<Response> {
  const refused = crossSiteSignIn(request);
  if (refused) return refused;
  const user = await passwordSignIn(request);
  return user instanceof Response ? user : startSession(request, user.id);
}

export async function DELETE(request: Request): Promise<Response> {
  const session = await authenticateSession(request);
  return session instanceof Response ? session : endSession(session.id);
}

const notAllowed = methodNotAllowed("POST", "DELETE");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const OPTIONS = notAllowed;
