/** The contract every notification provider meets: the two interfaces, the errors they throw and the size rules. */

/** Texts a phone number; getSmsSender() picks one from SMS_PROVIDER. */
export interface SmsSender {
  readonly name: string;
  /** Send `body` to `to` (E.164) and resolve to the provider's message id. */
  sendSms(to: string, body: string): Promise<string>;
}

/** Posts a plain-text message to one chat channel; notify() posts to every configured one. */
export interface ChatNotifier {
  readonly name: string;
  notify(text: string): Promise<void>;
}

/** A setting is missing or malformed: the message names the variables to set. Retrying cannot help. */
export class NotifierNotConfigured extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotifierNotConfigured";
  }
}

/**
 * The provider refused the message or could not be reached. The message names the provider and the HTTP status,
 * never a credential. `retryable` is true for rate limits (429), server errors (5xx) and network failures;
 * `retryAfter` is the wait in seconds the provider asked for.
 */
export class NotificationError extends Error {
  readonly retryable: boolean;
  readonly retryAfter: number | null;

  constructor(
    readonly provider: string,
    readonly status: number | null,
    readonly detail = "",
    options: { retryAfter?: number | null; retryable?: boolean } = {},
  ) {
    super("");
    this.name = "NotificationError";
    this.retryAfter = options.retryAfter ?? null;
    this.retryable = options.retryable ?? (status === null || status === 429 || status >= 500);
    this.message = `${provider}: message not delivered (${this.reason})`;
  }

  get reason(): string {
    const where = this.status === null ? "no response" : `HTTP ${this.status}`;
    return this.detail ? `${where}: ${this.detail}` : where;
  }
}

/** Some chat channels failed while the others were delivered: `errors` has one NotificationError per failure. */
export class ChatDeliveryError extends NotificationError {
  constructor(
    readonly errors: readonly NotificationError[],
    readonly delivered: readonly string[],
  ) {
    const waits = errors
      .filter((error) => error.retryable && error.retryAfter !== null)
      .map((e) => e.retryAfter);
    super(errors.map((error) => error.provider).join(", "), errors[0]?.status ?? null, "", {
      retryAfter: waits.length ? Math.max(...(waits as number[])) : null,
      retryable: errors.some((error) => error.retryable),
    });
    this.name = "ChatDeliveryError";
    const failures = errors.map((error) => `${error.provider} (${error.reason})`).join("; ");
    this.message = `not delivered to ${failures}${delivered.length ? `; delivered to ${delivered.join(", ")}` : ""}`;
  }
}

/** Characters as people count them (an emoji is one), as the providers' limits do. */
function characters(text: string): string[] {
  return Array.from(text);
}

/** An SMS is never shortened (a cut one-time code is worse than an error): refuse empty or too long bodies. */
export function requireBody(body: string, limit: number): string {
  if (!body.trim()) throw new RangeError("the message body is empty");
  const length = characters(body).length;
  if (length > limit) {
    throw new RangeError(`the message body has ${length} characters; this provider accepts at most ${limit}`);
  }
  return body;
}

/** A chat message is shortened to the channel's limit, ending with an ellipsis, rather than refused. */
export function shorten(text: string, limit: number): string {
  if (!text.trim()) throw new RangeError("the message text is empty");
  const chars = characters(text);
  return chars.length <= limit ? text : `${chars.slice(0, limit - 1).join("")}…`;
}
