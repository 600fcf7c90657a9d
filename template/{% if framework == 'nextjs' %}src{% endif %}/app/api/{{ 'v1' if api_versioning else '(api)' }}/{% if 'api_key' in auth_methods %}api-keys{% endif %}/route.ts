/** POST creates an API key for the caller (the secret is in this answer only); GET lists the caller's keys. */
import { asc, eq } from "drizzle-orm";
import { db, schema } from "@/db";
import { ApiKeyCreate, apiKeyRead, PREFIX_LENGTH } from "@/lib/api-keys";
import { authenticate, digest, newSecret } from "@/lib/auth";
import { methodNotAllowed, parseJson } from "@/lib/http";
import { validationProblem } from "@/lib/problem";

export async function POST(request: Request): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const body = await parseJson(request);
  if (body instanceof Response) return body;
  const parsed = ApiKeyCreate.safeParse(body);
  if (!parsed.success) return validationProblem(request, parsed.error);
  const secret = newSecret("sk");
  const [key] = await db
    .insert(schema.apiKeys)
    .values({
      userId: principal.userId,
      name: parsed.data.name,
      prefix: secret.slice(0, PREFIX_LENGTH),
      keyDigest: digest(secret),
      scopes: [...new Set(parsed.data.scopes)].sort().join(","),
      createdAt: new Date(),
    })
    .returning();
  if (!key) throw new Error("the insert returned no row");
  return Response.json({ ...apiKeyRead(key), key: secret }, { status: 201 });
}

export async function GET(request: Request): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const keys = await db
    .select()
    .from(schema.apiKeys)
    .where(eq(schema.apiKeys.userId, principal.userId))
    .orderBy(asc(schema.apiKeys.id));
  return Response.json(keys.map(apiKeyRead));
}

const notAllowed = methodNotAllowed("GET", "POST");
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
