/** POST registers a webhook endpoint for the caller (its signing secret is in this answer only); GET lists theirs. */
import { authenticate, requireWriter } from "@/lib/auth";
import { methodNotAllowed, parseJson } from "@/lib/http";
import { handle, parseBody } from "@/lib/resources/common/crud";
import { createSubscription, listSubscriptions, SubscriptionCreate } from "@/lib/webhooks/subscriptions";

export async function POST(request: Request): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const denied = requireWriter(principal, request);
  if (denied) return denied;
  const body = await parseJson(request);
  if (body instanceof Response) return body;
  const data = parseBody(request, body, SubscriptionCreate);
  if (data instanceof Response) return data;
  return handle(request, async () =>
    Response.json(await createSubscription(principal, data), { status: 201 }),
  );
}

export async function GET(request: Request): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  return handle(request, async () => Response.json(await listSubscriptions(principal)));
}

const notAllowed = methodNotAllowed("GET", "POST");
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
