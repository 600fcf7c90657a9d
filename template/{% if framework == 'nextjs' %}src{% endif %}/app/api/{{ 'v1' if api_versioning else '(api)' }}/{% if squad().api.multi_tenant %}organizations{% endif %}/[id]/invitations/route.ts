/** POST invites an e-mail address into an organization (201); GET lists its pending invitations (its admins). */
import { authenticate } from "@/lib/auth";
import { methodNotAllowed, parseId, parseJson } from "@/lib/http";
import { createInvitation, InvitationCreate, listInvitations } from "@/lib/invitations";
import { pageQuery } from "@/lib/organizations";
import { handle, parseBody, parseQuery } from "@/lib/resources/common/crud";

type Context = { params: Promise<{ id: string }> };

export async function GET(request: Request, { params }: Context): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const id = parseId(request, (await params).id, "organization_id");
  if (id instanceof Response) return id;
  const page = parseQuery(request, pageQuery);
  if (page instanceof Response) return page;
  return handle(request, async () => Response.json(await listInvitations(principal, id, page)));
}

export async function POST(request: Request, { params }: Context): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const id = parseId(request, (await params).id, "organization_id");
  if (id instanceof Response) return id;
  const body = await parseJson(request);
  if (body instanceof Response) return body;
  const data = parseBody(request, body, InvitationCreate);
  if (data instanceof Response) return data;
  return handle(request, async () =>
    Response.json(await createInvitation(principal, id, data), { status: 201 }),
  );
}

const notAllowed = methodNotAllowed("GET", "POST");
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
