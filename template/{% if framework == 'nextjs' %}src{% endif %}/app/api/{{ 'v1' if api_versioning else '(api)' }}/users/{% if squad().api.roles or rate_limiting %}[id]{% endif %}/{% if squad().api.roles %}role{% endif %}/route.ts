/**
 * PUT gives a user a role, or none (admins only), and records `user.role_change`. The user's next access token (after
 * a refresh or a new sign-in) carries the new role; the current one keeps the old role until it expires.
 */
import { adminUserUpdate, RoleUpdate, setUserRole } from "@/lib/accounts";
import { methodNotAllowed } from "@/lib/http";

export const PUT = adminUserUpdate("Only admins may change roles.", RoleUpdate, (actorId, userId, { role }) =>
  setUserRole(actorId, userId, role),
);

const notAllowed = methodNotAllowed("PUT");
export const GET = notAllowed;
export const POST = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
