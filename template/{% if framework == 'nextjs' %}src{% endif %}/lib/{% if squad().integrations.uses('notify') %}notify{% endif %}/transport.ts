/**
 * One POST to a provider's API through `fetch`: the timeout, the error mapping and the secret redaction every
 * provider shares. Webhook URLs and Telegram's API URL hold credentials, so errors are scrubbed of them.
 */
import { NotificationError, NotifierNotConfigured } from "./base";

/** The global fetch, or a stand-in (tests pass one that records the request). */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** Seconds to wait for a provider's answer. */
export const TIMEOUT_SECONDS = 10;
const DETAIL_CHARS = 300;
export const REDACTED = "<redacted>";

// Telegram's /bot<token>/, Slack's hooks.slack.com/services/<path> and Discord's /webhooks/<id>/<token>.
const CREDENTIALS_IN_URLS =
  /(\/bot)\d+:[\w-]+|(hooks\.slack\.com\/services\/)[\w/-]+|(\/webhooks\/\d+\/)[\w-]+/g;

/** Replace the credentials that provider URLs carry. */
export function redact(text: string): string {
  return text.replace(
    CREDENTIALS_IN_URLS,
    (_match, bot, slack, discord) => `${bot ?? slack ?? discord}${REDACTED}`,
  );
}

/** `text` without any of `secrets` nor the credentials in provider URLs. */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let scrubbed = text;
  for (const secret of secrets) if (secret) scrubbed = scrubbed.replaceAll(secret, REDACTED);
  return redact(scrubbed);
}

/** The provider's own words for a refusal (error code and message). */
function describe(text: string): string {
  let described = text.trim();
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === "object" && !Array.isArray(body)) {
      const fields = body as Record<string, unknown>;
      const keys = ["code", "error", "title", "message", "detail", "description"];
      described = keys
        .map((key) => fields[key])
        .filter((value) => value !== undefined && value !== null && value !== "" && value !== false)
        .map(String)
        .join(": ");
    } else {
      described = JSON.stringify(body);
    }
  } catch {
    // not JSON: an HTML error page from a proxy, say
  }
  return described;
}

/** Seconds the provider asked to wait: Retry-After (seconds or an HTTP date), else a JSON `retry_after`. */
export function retryAfter(headers: Headers, text: string, now: number = Date.now()): number | null {
  const header = headers.get("retry-after")?.trim();
  if (header) {
    const seconds = Number(header);
    if (Number.isFinite(seconds)) return Math.max(0, seconds);
    const when = Date.parse(header);
    if (!Number.isNaN(when)) return Math.max(0, (when - now) / 1000);
  }
  try {
    // Telegram: {"parameters": {"retry_after": 5}}; Discord: {"retry_after": 1.5}
    const body = JSON.parse(text) as { retry_after?: unknown; parameters?: { retry_after?: unknown } };
    const value = body?.parameters?.retry_after ?? body?.retry_after;
    return typeof value === "number" ? value : null;
  } catch {
    return null;
  }
}

/** The error for an answer the provider did not accept; `detail` replaces the body's own words. */
export function refusal(
  provider: string,
  response: { status: number; headers: Headers; text: string },
  secrets: readonly string[] = [],
  detail?: string,
): NotificationError {
  // Scrubbed before it is shortened: a cut could leave the start of a secret that no longer matches it.
  const words = scrub(detail ?? describe(response.text), secrets).slice(0, DETAIL_CHARS);
  return new NotificationError(provider, response.status, words, {
    retryAfter: retryAfter(response.headers, response.text),
  });
}

export type PostOptions = {
  /** The request body, already encoded (JSON or form), and its content type. */
  body: string;
  contentType: string;
  headers?: Record<string, string>;
  /** Values to hide from error messages (tokens, webhook URLs). */
  secrets?: readonly string[];
  fetch?: Fetch;
};

/** The answer to a successful POST: its parsed JSON body (null when it has none) and what `refusal` needs. */
export type Answer = { status: number; headers: Headers; text: string; json: unknown };

/** POST and return the answer when it is 2xx; otherwise throw NotificationError naming provider and status. */
export async function post(provider: string, url: string, options: PostOptions): Promise<Answer> {
  const secrets = options.secrets ?? [];
  const send = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await send(url, {
      method: "POST",
      headers: { ...options.headers, "Content-Type": options.contentType },
      body: options.body,
      redirect: "error", // a webhook that redirects is misconfigured: never repost the message elsewhere
      signal: AbortSignal.timeout(TIMEOUT_SECONDS * 1000),
    });
  } catch (error) {
    // Some errors quote the URL: report the kind of failure only.
    const kind =
      error instanceof Error && error.name === "TimeoutError"
        ? `no answer within ${TIMEOUT_SECONDS} s`
        : "request failed";
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
    throw new NotificationError(provider, null, scrub(`${kind}${cause}`, secrets));
  }
  const text = await response.text().catch(() => "");
  const answer = { status: response.status, headers: response.headers, text, json: null as unknown };
  if (!response.ok) throw refusal(provider, answer, secrets);
  try {
    answer.json = text ? JSON.parse(text) : null;
  } catch {
    answer.json = null; // Slack's and Discord's webhooks answer "ok" or nothing
  }
  return answer;
}

/** A JSON body, as `post` takes it. */
export function json(payload: unknown): Pick<PostOptions, "body" | "contentType"> {
  // Slack asks for the charset on JSON bodies (it warns "missing_charset" otherwise).
  return { body: JSON.stringify(payload), contentType: "application/json; charset=utf-8" };
}

/** An HTML form body, as `post` takes it. */
export function form(fields: Record<string, string>): Pick<PostOptions, "body" | "contentType"> {
  return { body: new URLSearchParams(fields).toString(), contentType: "application/x-www-form-urlencoded" };
}

/** The Authorization header of HTTP basic auth. */
export function basicAuth(user: string, password: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
}

/** A webhook URL must be absolute http(s); the message names the variable, never its value (a credential). */
export function requireUrl(variable: string, url: string): string {
  if (!/^https?:\/\//.test(url)) {
    throw new NotifierNotConfigured(`${variable} must be the full https:// URL the provider gave you`);
  }
  return url;
}
