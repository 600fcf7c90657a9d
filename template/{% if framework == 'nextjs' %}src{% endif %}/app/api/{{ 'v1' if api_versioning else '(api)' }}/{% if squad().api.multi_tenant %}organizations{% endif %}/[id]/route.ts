/** GET reads one organization, for its members and platform admins (404 for anyone else). */
import { authenticate } from "@/lib/auth";
import { methodNotAllowed, parseId } from "@/lib/http";
import { getOrganization } from "@/lib/organizations";
import { handle } from "@/lib/resources/common/crud";

type Context = { params: Promise<{ id: string }> };

export async function GET(request: Request, { params }: Context): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const id = parseId(request, (await params).id, "organization_id");
  if (id instanceof Response) return id;
  return handle(request, async () => Response.json(await getOrganization(principal, id)));
}

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
