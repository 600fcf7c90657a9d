/** Every error leaves the API in one shape: RFC 9457 problem details (`application/problem+json`). */
import { STATUS_CODES } from "node:http";
import type { ZodError } from "zod";

export const PROBLEM_MEDIA_TYPE = "application/problem+json";

export type FieldError = { loc: (string | number)[]; msg: string; type: string };

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  errors?: FieldError[];
};

/** A problem response for `status`; `instance` is the request's path. */
export function problem(
  request: Request,
  status: number,
  detail?: string,
  init: { headers?: HeadersInit; errors?: FieldError[] } = {},
): Response {
  const body: Problem = {
    type: "about:blank",
    title: STATUS_CODES[status] ?? "Error",
    status,
    instance: new URL(request.url).pathname,
  };
  if (detail) body.detail = detail;
  if (init.errors) body.errors = init.errors;
  const headers = new Headers(init.headers);
  headers.set("content-type", PROBLEM_MEDIA_TYPE);
  return new Response(JSON.stringify(body), { status, headers });
}

/** 422 listing every invalid field, located like FastAPI does: ["body", field], ["query", name], ["path", "id"]. */
export function validationProblem(
  request: Request,
  error: ZodError,
  location: "body" | "query" | "path" = "body",
): Response {
  const errors = error.issues.map((issue) => ({
    loc: [location, ...issue.path.map((part) => (typeof part === "number" ? part : String(part)))],
    msg: issue.message,
    type: issue.code,
  }));
  return problem(request, 422, "The request is invalid; see errors.", { errors });
}
