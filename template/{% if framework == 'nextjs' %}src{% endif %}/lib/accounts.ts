/** Users and their sessions: the public shape of a user, and issuing a token pair with a stored refresh token. */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { db, schema } from "@/db";
import { createAccessToken, digest, newSecret } from "./auth";
import { settings } from "./config";

const NO_NUL = /^[^\0]*$/;

/**
 * An e-mail address as the OpenAPI document's `format: email` and the FastAPI output accept it: any RFC 5322
 * "atext" local part (Zod's default pattern refuses some, such as `}`), ASCII only, and a dotted domain.
 */
export const EmailAddress = z
  .email({
    pattern:
      /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/,
  })
  .max(320);

export const RegisterRequest = z.strictObject({
  email: EmailAddress,
  password: z.string().min(8).max(128).regex(NO_NUL, "Must not contain NUL characters"),
  full_name: z.string().max(200).regex(NO_NUL, "Must not contain NUL characters").nullable().optional(),
});

/** The OAuth2 password form; other OAuth2 fields (scope, client_id...) are ignored, as the spec allows. */
export const LoginForm = z.object({
  username: z.string().min(1).max(320).regex(NO_NUL, "Must not contain NUL characters"),
  password: z.string().max(128),
  grant_type: z.literal("password").optional(),
});

export const RefreshRequest = z.strictObject({
  refresh_token: z.string().min(1).max(200),
});

type User = typeof schema.users.$inferSelect;

export type UserRead = {
  id: number;
  email: string;
  full_name: string | null;
  is_active: boolean;
  is_admin: boolean;
  created_at: string;
};

export function userRead(user: User): UserRead {
  return {
    id: user.id,
    email: user.email,
    full_name: user.fullName,
    is_active: user.isActive,
    is_admin: user.isAdmin,
    created_at: user.createdAt.toISOString(),
  };
}

export type TokenPair = {
  access_token: string;
  refresh_token: string;
  token_type: "bearer";
  expires_in: number;
};

/** A new access token and a new refresh token (stored as a digest) in `familyId`, a new family by default. */
export async function issueTokens(
  user: Pick<User, "id" | "isAdmin">,
  familyId: string = randomUUID(),
): Promise<TokenPair> {
  const { token, expiresIn } = await createAccessToken(user.id, user.isAdmin);
  const refreshToken = newSecret("rt");
  const now = new Date();
  await db.insert(schema.refreshTokens).values({
    userId: user.id,
    tokenDigest: digest(refreshToken),
    familyId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + settings().REFRESH_TOKEN_DAYS * 86_400_000),
  });
  return { access_token: token, refresh_token: refreshToken, token_type: "bearer", expires_in: expiresIn };
}
