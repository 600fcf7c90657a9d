/**
 * POST refresh: trade a refresh token for a new pair; the old one stops working (rotation). Presenting a token
 * that was already rotated means it leaked: its whole family (every token descended from that login) is revoked.
 */
import { and, eq, isNull } from "drizzle-orm";
import { db, schema } from "@/db";
import { issueTokens, RefreshRequest } from "@/lib/accounts";
import { digest } from "@/lib/auth";
import { methodNotAllowed, parseJson } from "@/lib/http";
import { problem, validationProblem } from "@/lib/problem";

export async function POST(request: Request): Promise<Response> {
  const body = await parseJson(request);
  if (body instanceof Response) return body;
  const parsed = RefreshRequest.safeParse(body);
  if (!parsed.success) return validationProblem(request, parsed.error);
  const invalid = () => problem(request, 401, "Invalid, expired or revoked refresh token.");
  const { refreshTokens, users } = schema;
  const [stored] = await db
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenDigest, digest(parsed.data.refresh_token)))
    .limit(1);
  if (!stored) return invalid();
  const now = new Date();
  // Claim the token: of two requests racing with it, exactly one wins; the loser counts as a reuse.
  const claimed = await db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.id, stored.id), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
  if (claimed.length === 0) {
    await db
      .update(refreshTokens)
      .set({ revokedAt: now })
      .where(and(eq(refreshTokens.familyId, stored.familyId), isNull(refreshTokens.revokedAt)));
    return invalid();
  }
  if (stored.expiresAt <= now) return invalid();
  const [user] = await db.select().from(users).where(eq(users.id, stored.userId)).limit(1);
  if (!user?.isActive) return invalid();
  return Response.json(await issueTokens(user, stored.familyId));
}

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
