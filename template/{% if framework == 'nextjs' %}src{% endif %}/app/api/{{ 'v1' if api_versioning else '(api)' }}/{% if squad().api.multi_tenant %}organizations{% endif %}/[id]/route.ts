/**
 * GET reads one organization, for its members and platform admins (404 for anyone else); PATCH renames it and
 * DELETE deletes it with everything in it (204), for its admins and platform admins.
 */
import { authenticate } from "@/lib/auth";
import { methodNotAllowed, parseId, parseJson } from "@/lib/http";
import {
  deleteOrganization,
  getOrganization,
  OrganizationUpdate,
  renameOrganization,
} from "@/lib/organizations";
import { handle, parseBody } from "@/lib/resources/common/crud";

type Context = { params: Promise<{ id: string }> };

export async function GET(request: Request, { params }: Context): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const id = parseId(request, (await params).id, "organization_id");
  if (id instanceof Response) return id;
  return handle(request, async () => Response.json(await getOrganization(principal, id)));
}

export async function PATCH(request: Request, { params }: Context): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const id = parseId(request, (await params).id, "organization_id");
  if (id instanceof Response) return id;
  const body = await parseJson(request);
  if (body instanceof Response) return body;
  const data = parseBody(request, body, OrganizationUpdate);
  if (data instanceof Response) return data;
  return handle(request, async () => Response.json(await renameOrganization(principal, id, data.name)));
}

export async function DELETE(request: Request, { params }: Context): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const id = parseId(request, (await params).id, "organization_id");
  if (id instanceof Response) return id;
  return handle(request, async () => {
    await deleteOrganization(principal, id);
    return new Response(null, { status: 204 });
  });
}

const notAllowed = methodNotAllowed("GET", "PATCH", "DELETE");
export const POST = notAllowed;
export const PUT = notAllowed;
export const OPTIONS = notAllowed;
