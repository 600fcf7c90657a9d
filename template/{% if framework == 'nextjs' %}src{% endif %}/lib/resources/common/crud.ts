/**
 * What every resource module shares (like the FastAPI project's app/api/crud.py): expected failures that become
 * problems, visibility, sorting, request parsing and the JSON formats of the responses.
 */
import { type AnyColumn, asc, desc, eq, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Principal } from "@/lib/auth";
import { problem, validationProblem } from "@/lib/problem";

/** An expected failure with its status (404 unknown row, 422 unknown reference); `handle` answers it. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Thrown by an action whose slot is not written yet (src/actions/): its route answers 501. */
export class NotImplemented extends Error {}

export function notFound(model: string, id: number): HttpError {
  return new HttpError(404, `${model} ${id} not found.`);
}

/** mysql2's codes for a duplicate, a missing or still-referenced row, a failed check (MySQL, MariaDB), a NULL. */
const MYSQL_CONSTRAINT_CODES = new Set([
  "ER_DUP_ENTRY",
  "ER_NO_REFERENCED_ROW_2",
  "ER_ROW_IS_REFERENCED_2",
  "ER_CHECK_CONSTRAINT_VIOLATED",
  "ER_CONSTRAINT_FAILED",
  "ER_BAD_NULL_ERROR",
]);

/** A unique, foreign-key or check violation: PostgreSQL's 23xxx codes, SQLite's SQLITE_CONSTRAINT_*, MySQL's. */
export function isConstraintViolation(error: unknown): boolean {
  // Drizzle wraps the driver's error; the code is on the cause.
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code !== "string") continue;
    if (/^23\d{3}$/.test(code) || code.startsWith("SQLITE_CONSTRAINT") || MYSQL_CONSTRAINT_CODES.has(code))
      return true;
  }
  return false;
}

/** Runs a route's work; an HttpError answers with its status and a constraint violation with 409. */
export async function handle(request: Request, work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HttpError) return problem(request, error.status, error.message);
    if (isConstraintViolation(error)) {
      return problem(
        request,
        409,
        "The change conflicts with existing data (a duplicate or a missing reference).",
      );
    }
    throw error;
  }
}

/** The validated query string (unknown parameters are ignored), or the 422 problem to return. */
export function parseQuery<T extends z.ZodType>(request: Request, schema: T): z.output<T> | Response {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  return parsed.success ? parsed.data : validationProblem(request, parsed.error, "query");
}

/** The validated JSON body, or the 422 problem to return. */
export function parseBody<T extends z.ZodType>(
  request: Request,
  body: unknown,
  schema: T,
): z.output<T> | Response {
  const parsed = schema.safeParse(body);
  return parsed.success ? parsed.data : validationProblem(request, parsed.error, "body");
}

/** Owned rows are visible to their owner only; admins see every owner's. */
export function ownedBy(column: AnyColumn, principal: Principal): SQL | undefined {
  return principal.isAdmin ? undefined : eq(column, principal.userId);
}

/** ORDER BY for `sort` ("-price" sorts descending); the id breaks ties so pages never overlap. */
export function orderBy(sort: string, columns: Record<string, AnyColumn>, id: AnyColumn): SQL[] {
  const direction = sort.startsWith("-") ? desc : asc;
  return [direction(columns[sort.replace(/^-/, "")] ?? id), direction(id)];
}

/** Ids once each, in order: a link list is a set. */
export function uniqueIds(ids: readonly number[]): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}

/** A datetime as FastAPI writes it: UTC with "Z", and microseconds only when there is a fraction. */
export function isoDatetime(value: Date): string;
export function isoDatetime(value: Date | null): string | null;
export function isoDatetime(value: Date | null): string | null {
  if (value === null) return null;
  const text = value.toISOString();
  return value.getUTCMilliseconds() === 0 ? `${text.slice(0, 19)}Z` : `${text.slice(0, 23)}000Z`;
}

/** A decimal with its two places ("12.50"): SQLite stores the number and gives back "12.5". */
export function decimalString(value: string): string;
export function decimalString(value: string | null): string | null;
export function decimalString(value: string | null): string | null {
  if (value === null) return null;
  return /^-?\d+\.\d{2}$/.test(value) ? value : Number(value).toFixed(2);
}

/** `column = value` for every filter the query sets. */
export function equalities(columns: Record<string, AnyColumn>, values: Record<string, unknown>): SQL[] {
  return Object.entries(columns).flatMap(([name, column]) => {
    const value = values[name];
    return value === undefined ? [] : [eq(column, value)];
  });
}

/** The 422 for link ids that name no visible row, worded like FastAPI's: "tag_ids: Tag [7, 9] not found." */
export function missingLinks(
  field: string,
  model: string,
  wanted: readonly number[],
  found: readonly number[],
): void {
  const seen = new Set(found);
  const missing = wanted.filter((id) => !seen.has(id));
  if (missing.length > 0) throw new HttpError(422, `${field}: ${model} [${missing.join(", ")}] not found.`);
}
