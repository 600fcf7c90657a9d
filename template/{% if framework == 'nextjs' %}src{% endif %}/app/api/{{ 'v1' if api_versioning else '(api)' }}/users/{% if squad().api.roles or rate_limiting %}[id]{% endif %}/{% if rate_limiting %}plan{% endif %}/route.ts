/**
 * PUT puts a user on a rate-limit plan, or none (admins only), and records `user.plan_change`. The user's next access
 * token (after a refresh or a new sign-in) carries the plan; their API keys follow within a minute.
 */
import { adminUserUpdate, setUserPlan, UserPlanUpdate } from "@/lib/accounts";
import { methodNotAllowed } from "@/lib/http";

export const PUT = adminUserUpdate(
  "Only admins may change plans.",
  UserPlanUpdate,
  (actorId, userId, { plan }) => setUserPlan(actorId, userId, plan),
);

const notAllowed = methodNotAllowed("PUT");
export const GET = notAllowed;
export const POST = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
