/**
 * POST login: the OAuth2 password flow (form fields `username` = e-mail, `password`) answers a token pair.
 * Every attempt goes to the audit log: the user's id when the e-mail is known, never the e-mail or password.
 */
import { eq } from "drizzle-orm";
import { db, schema } from "@/db";
import { issueTokens, LoginForm } from "@/lib/accounts";
import { recordAudit } from "@/lib/audit";
import { verifyPassword } from "@/lib/auth";
import { methodNotAllowed } from "@/lib/http";
import { problem, validationProblem } from "@/lib/problem";

export async function POST(request: Request): Promise<Response> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return problem(request, 422, "The request is invalid; see errors.", {
      errors: [
        { loc: ["body", "username"], msg: "Field required", type: "missing" },
        { loc: ["body", "password"], msg: "Field required", type: "missing" },
      ],
    });
  }
  const parsed = LoginForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return validationProblem(request, parsed.error);
  const [user] = await db
    .select()
    .from(schema.users)
    .where(eq(schema.users.email, parsed.data.username.toLowerCase()))
    .limit(1);
  const valid = await verifyPassword(parsed.data.password, user?.hashedPassword);
  if (!valid || !user?.isActive) {
    await recordAudit(db, {
      action: "auth.login_failed",
      actorId: null,
      targetType: "user",
      targetId: user?.id ?? null,
    });
    return problem(request, 401, "Wrong e-mail or password.", { headers: { "www-authenticate": "Bearer" } });
  }
  await recordAudit(db, { action: "auth.login", actorId: user.id, targetType: "user", targetId: user.id });
  return Response.json(await issueTokens(user));
}

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
