/** POST creates an organization with the caller as its admin (201); GET lists a page of the caller's organizations. */
import { authenticate, requireWriter } from "@/lib/auth";
import { methodNotAllowed, parseJson } from "@/lib/http";
import { createOrganization, listOrganizations, OrganizationCreate, pageQuery } from "@/lib/organizations";
import { handle, parseBody, parseQuery } from "@/lib/resources/common/crud";

export async function GET(request: Request): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const page = parseQuery(request, pageQuery);
  if (page instanceof Response) return page;
  return handle(request, async () => Response.json(await listOrganizations(principal, page)));
}

export async function POST(request: Request): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const denied = requireWriter(principal, request);
  if (denied) return denied;
  const body = await parseJson(request);
  if (body instanceof Response) return body;
  const data = parseBody(request, body, OrganizationCreate);
  if (data instanceof Response) return data;
  return handle(request, async () =>
    Response.json(await createOrganization(principal, data.name), { status: 201 }),
  );
}

const notAllowed = methodNotAllowed("GET", "POST");
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
