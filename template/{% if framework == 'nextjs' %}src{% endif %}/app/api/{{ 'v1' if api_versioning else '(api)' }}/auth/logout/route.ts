/** POST logout: revoke a refresh token (204). Unknown tokens are ignored, so logout never tells which exist. */
import { and, eq, isNull } from "drizzle-orm";
import { db, schema } from "@/db";
import { RefreshRequest } from "@/lib/accounts";
import { digest } from "@/lib/auth";
import { methodNotAllowed, parseJson } from "@/lib/http";
import { validationProblem } from "@/lib/problem";

export async function POST(request: Request): Promise<Response> {
  const body = await parseJson(request);
  if (body instanceof Response) return body;
  const parsed = RefreshRequest.safeParse(body);
  if (!parsed.success) return validationProblem(request, parsed.error);
  const { refreshTokens } = schema;
  await db
    .update(refreshTokens)
    .set({ revokedAt: new Date() })
    .where(
      and(eq(refreshTokens.tokenDigest, digest(parsed.data.refresh_token)), isNull(refreshTokens.revokedAt)),
    );
  return new Response(null, { status: 204 });
}

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
