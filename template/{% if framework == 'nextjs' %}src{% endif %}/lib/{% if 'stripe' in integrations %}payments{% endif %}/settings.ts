/**
 * Stripe settings, read from the environment (Next.js loads `.env` into it) on each use: the app starts and builds
 * without them, and only the payment routes complain (503 naming the missing variable).
 */
import { z } from "zod";
import { HttpError } from "@/lib/resources/common/crud";

/** A required Stripe setting is missing or wrong: 503 naming the variable, while the rest of the API keeps working. */
export class PaymentsNotConfigured extends HttpError {
  constructor(message: string) {
    super(503, message);
    this.name = "PaymentsNotConfigured";
  }
}

/** Empty and unset are the same: `.env.example` lists every setting with an empty value. */
const text = z.string().trim().default("");
const withDefault = (fallback: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => value || fallback);

/** STRIPE_PLANS: `name=price_id` pairs separated by commas ("pro=price_123,team=price_456"). */
const plansText = text.superRefine((value, context) => {
  for (const pair of value.split(",").map((part) => part.trim())) {
    if (!pair) continue;
    const [name = "", ...rest] = pair.split("=");
    if (!name.trim() || !rest.join("=").trim()) {
      context.addIssue({ code: "custom", message: `"${pair}" is not name=price_id (e.g. pro=price_123)` });
    }
  }
});

const PaymentsEnv = z.object({
  STRIPE_SECRET_KEY: text,
  STRIPE_WEBHOOK_SECRET: text,
  /** Empty: api.stripe.com; set it to point the SDK at a local stand-in. */
  STRIPE_API_BASE: text,
  STRIPE_SUCCESS_URL: withDefault("http://localhost:3000/billing/success?session_id={CHECKOUT_SESSION_ID}"),
  STRIPE_CANCEL_URL: withDefault("http://localhost:3000/billing/cancel"),
  STRIPE_PORTAL_RETURN_URL: withDefault("http://localhost:3000/billing"),
  /** Seconds; older signatures are refused (replay protection). */
  STRIPE_WEBHOOK_TOLERANCE: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? Number(value) : 300))
    .pipe(z.int({ error: "STRIPE_WEBHOOK_TOLERANCE must be a whole number of seconds" }).min(1)),
  /** The prices on offer; empty: any price of the account. */
  STRIPE_PLANS: plansText,
});

export type PaymentsSettings = z.infer<typeof PaymentsEnv>;

/** A setting that must not be empty for the route that needs it. */
export type RequiredSetting = "STRIPE_SECRET_KEY" | "STRIPE_WEBHOOK_SECRET";

/** Fresh on each call (cheap): a changed environment is picked up, and tests need no cache clearing. */
export function getPaymentsSettings(env: NodeJS.ProcessEnv = process.env): PaymentsSettings {
  const parsed = PaymentsEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new PaymentsNotConfigured(`Stripe is not configured: ${problems.join("; ")}.`);
  }
  return parsed.data;
}

/** The setting's value, or PaymentsNotConfigured (503) naming the missing variable. */
export function requireSetting(settings: PaymentsSettings, name: RequiredSetting): string {
  const value = settings[name];
  if (!value) throw new PaymentsNotConfigured(`Stripe is not configured: set ${name}.`);
  return value;
}

/** STRIPE_PLANS as name -> price id, in the order written (a repeated name keeps its place and takes the last id). */
export function plans(settings: PaymentsSettings): Map<string, string> {
  const pairs = settings.STRIPE_PLANS.split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((pair): [string, string] => {
      const [name = "", ...rest] = pair.split("=");
      return [name.trim(), rest.join("=").trim()];
    });
  return new Map(pairs);
}

/** Whether clients may buy `priceId`: any price when no plans are configured. */
export function offers(settings: PaymentsSettings, priceId: string): boolean {
  const offered = plans(settings);
  return offered.size === 0 || [...offered.values()].includes(priceId);
}
