/**
 * Webhook settings, read from the environment (Next.js loads `.env` into it) on each use: the app starts without
 * them, and only the incoming receiver needs one (503 naming WEBHOOK_SIGNING_SECRET until it is set).
 */
import { z } from "zod";
import { HttpError } from "@/lib/resources/common/crud";
import { parseBoolean } from "@/lib/resources/common/validation";

/** A webhook feature is used without the setting it needs, or a setting is malformed: 503 naming the variable. */
export class WebhookNotConfigured extends HttpError {
  constructor(message: string) {
    super(503, message);
    this.name = "WebhookNotConfigured";
  }
}

/** A whole number, at least 1; empty and unset are `fallback` (`.env.example` lists every setting). */
const atLeastOne = (name: string, fallback: number) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? Number(value) : fallback))
    .pipe(z.int({ error: `${name} must be a whole number` }).min(1, `${name} must be at least 1`));

/** A boolean as parseBoolean reads it (as the FastAPI output does); empty and unset are false. */
const flag = (name: string) =>
  z
    .string()
    .trim()
    .optional()
    .refine((value) => !value || parseBoolean(value) !== undefined, `${name} must be true or false`)
    .transform((value) => (value ? parseBoolean(value) === true : false));

const WebhookEnv = z.object({
  /** The key senders sign requests to /webhooks/incoming/<source> with. */
  WEBHOOK_SIGNING_SECRET: z.string().trim().default(""),
  /** Seconds a signed timestamp may be off (old or in the future) before the request is refused as a replay. */
  WEBHOOK_TOLERANCE_SECONDS: atLeastOne("WEBHOOK_TOLERANCE_SECONDS", 300),
  /** Delivery attempts per outgoing event before it is marked failed. */
  WEBHOOK_MAX_ATTEMPTS: atLeastOne("WEBHOOK_MAX_ATTEMPTS", 6),
  /** Outgoing deliveries to private, loopback or link-local addresses: only for local development and tests. */
  WEBHOOK_ALLOW_PRIVATE_URLS: flag("WEBHOOK_ALLOW_PRIVATE_URLS"),
});

export type WebhookSettings = z.infer<typeof WebhookEnv>;

/** Fresh on each call (cheap): a changed environment is picked up, and tests need no cache clearing. */
export function getWebhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const parsed = WebhookEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new WebhookNotConfigured(`Webhooks are not configured: ${problems.join("; ")}.`);
  }
  return parsed.data;
}

/** The incoming-request key, or WebhookNotConfigured (503) naming the variable to set. */
export function signingSecret(settings: WebhookSettings): string {
  if (!settings.WEBHOOK_SIGNING_SECRET) {
    throw new WebhookNotConfigured(
      "WEBHOOK_SIGNING_SECRET is not set: incoming webhooks cannot be verified.",
    );
  }
  return settings.WEBHOOK_SIGNING_SECRET;
}
