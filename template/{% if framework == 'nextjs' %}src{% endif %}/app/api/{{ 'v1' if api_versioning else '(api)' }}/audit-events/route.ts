/** GET lists the audit log, newest first: admins only (a read-only API key of an admin may read it). */
import { auditEventListQuery, listAuditEvents } from "@/lib/audit";
import { authenticate } from "@/lib/auth";
import { methodNotAllowed } from "@/lib/http";
import { problem } from "@/lib/problem";
import { handle, parseQuery } from "@/lib/resources/common/crud";

export async function GET(request: Request): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  if (!principal.isAdmin) return problem(request, 403, "Only admins may read the audit log.");
  const query = parseQuery(request, auditEventListQuery);
  if (query instanceof Response) return query;
  return handle(request, async () => Response.json(await listAuditEvents(query)));
}

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
