/** Liveness and readiness: answers when the process and the database do. */
import { ping } from "@/db";
import { methodNotAllowed } from "@/lib/http";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  await ping();
  return Response.json({ status: "ok", database: "ok" });
}

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
