/**
 * DELETE revokes one of the caller's API keys (204); it stops working at once. Others' keys answer 404.
 * The revocation and its audit event commit together.
 */
import { and, eq, isNull } from "drizzle-orm";
import { db, schema } from "@/db";
import { recordAudit } from "@/lib/audit";
import { authenticate } from "@/lib/auth";
import { methodNotAllowed, parseId } from "@/lib/http";
import { problem } from "@/lib/problem";

export async function DELETE(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const id = parseId(request, (await params).id);
  if (id instanceof Response) return id;
  const { apiKeys } = schema;
  const [key] = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, principal.userId)))
    .limit(1);
  if (!key) return problem(request, 404, `API key ${id} not found.`);
  await db.transaction(async (tx) => {
    await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
    await recordAudit(tx, {
      action: "api_key.revoke",
      actorId: principal.userId,
      targetType: "api_key",
      targetId: id,
    });
  });
  return new Response(null, { status: 204 });
}

const notAllowed = methodNotAllowed("DELETE");
export const GET = notAllowed;
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const OPTIONS = notAllowed;
