/** The OpenAPI 3.1 document of this API (src/openapi.json, generated with the project). */
import { methodNotAllowed } from "@/lib/http";
import document from "@/openapi.json";

export const dynamic = "force-static";

export function GET(): Response {
  return Response.json(document);
}

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
