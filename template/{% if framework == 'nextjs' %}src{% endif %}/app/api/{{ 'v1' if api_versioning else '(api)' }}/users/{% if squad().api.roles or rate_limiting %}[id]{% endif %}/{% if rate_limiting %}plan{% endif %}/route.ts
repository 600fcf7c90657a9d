/**
 * PUT puts a user on a rate-limit plan, or none (admins only), and records `user.plan_change`. The user's next access
 * token (after a refresh or a new sign-in) carries the plan; their API keys follow within a minute.
 */
import { setUserPlan, UserPlanUpdate } from "@/lib/accounts";
import { authenticate, requireWriter } from "@/lib/auth";
import { methodNotAllowed, parseId, parseJson } from "@/lib/http";
import { problem } from "@/lib/problem";
import { handle, parseBody } from "@/lib/resources/common/crud";

type Context = { params: Promise<{ id: string }> };

export async function PUT(request: Request, { params }: Context): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  if (!principal.isAdmin) return problem(request, 403, "Only admins may change plans.");
  const denied = requireWriter(principal, request);
  if (denied) return denied;
  const userId = parseId(request, (await params).id, "user_id");
  if (userId instanceof Response) return userId;
  const body = await parseJson(request);
  if (body instanceof Response) return body;
  const data = parseBody(request, body, UserPlanUpdate);
  if (data instanceof Response) return data;
  return handle(request, async () => Response.json(await setUserPlan(principal.userId, userId, data.plan)));
}

const notAllowed = methodNotAllowed("PUT");
export const GET = notAllowed;
export const POST = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
