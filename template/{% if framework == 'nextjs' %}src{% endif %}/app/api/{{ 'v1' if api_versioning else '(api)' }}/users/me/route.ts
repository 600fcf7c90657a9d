/** GET the caller's own user. */
import { findUser, userRead } from "@/lib/accounts";
import { authenticate } from "@/lib/auth";
import { methodNotAllowed } from "@/lib/http";
import { problem } from "@/lib/problem";

export async function GET(request: Request): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const user = await findUser(principal.userId);
  if (!user) return problem(request, 404, "User not found.");
  return Response.json(userRead(user));
}

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
