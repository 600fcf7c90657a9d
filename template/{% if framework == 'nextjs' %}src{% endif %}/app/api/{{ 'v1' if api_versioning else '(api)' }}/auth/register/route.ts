/** POST register: a new (non-admin) user; 409 when the e-mail is taken. */
import { eq } from "drizzle-orm";
import { db, schema } from "@/db";
import { RegisterRequest, userRead } from "@/lib/accounts";
import { hashPassword } from "@/lib/auth";
import { methodNotAllowed, parseJson } from "@/lib/http";
import { problem, validationProblem } from "@/lib/problem";

export async function POST(request: Request): Promise<Response> {
  const body = await parseJson(request);
  if (body instanceof Response) return body;
  const parsed = RegisterRequest.safeParse(body);
  if (!parsed.success) return validationProblem(request, parsed.error);
  const email = parsed.data.email.toLowerCase();
  const conflict = () => problem(request, 409, "A user with this e-mail already exists.");
  const [existing] = await db
    .select({ id: schema.users.id })
    .from(schema.users)
    .where(eq(schema.users.email, email))
    .limit(1);
  if (existing) return conflict();
  const hashedPassword = await hashPassword(parsed.data.password);
  // The unique index still decides when two registrations race.
  const [user] = await db
    .insert(schema.users)
    .values({ email, fullName: parsed.data.full_name ?? null, hashedPassword })
    .onConflictDoNothing({ target: schema.users.email })
    .returning();
  if (!user) return conflict();
  return Response.json(userRead(user), { status: 201 });
}

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
