/** Any path under /api that no route serves: a 404 problem, for every method, instead of Next's HTML page. */
import { problem } from "@/lib/problem";

function notFound(request: Request): Response {
  return problem(request, 404, "Not Found");
}

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
