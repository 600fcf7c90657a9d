/** The message, the sender interface every provider implements, and the one error a refusal raises. */

/** One e-mail, provider-neutral: plain text always (some clients show only that), HTML optionally. */
export type EmailMessage = Readonly<{
  to: readonly string[];
  subject: string;
  text: string;
  html?: string;
  /** Default: EMAIL_FROM. */
  from?: string;
  replyTo?: string;
}>;

/**
 * A checked, frozen EmailMessage. Line breaks in a header would let a caller's input add headers of its own
 * (`Bcc: ...`): header injection, so they are refused here rather than trusted to each provider.
 */
export function emailMessage(fields: {
  to: string | readonly string[];
  subject: string;
  text: string;
  html?: string | null;
  from?: string | null;
  replyTo?: string | null;
}): EmailMessage {
  const to = typeof fields.to === "string" ? [fields.to] : [...fields.to];
  if (to.length === 0) throw new TypeError("an e-mail needs at least one recipient");
  for (const header of [fields.subject, fields.from ?? "", fields.replyTo ?? "", ...to]) {
    if (/[\r\n]/.test(header)) {
      throw new TypeError("line breaks are not allowed in e-mail headers (header injection)");
    }
  }
  return Object.freeze({
    to: Object.freeze(to),
    subject: fields.subject,
    text: fields.text,
    ...(fields.html != null && { html: fields.html }),
    ...(fields.from && { from: fields.from }),
    ...(fields.replyTo && { replyTo: fields.replyTo }),
  });
}

/** `{ name: "Ann Smith", email: "ann@example.com" }` from `Ann Smith <ann@example.com>`; the name may be empty. */
export function parseAddress(value: string): { name: string; email: string } {
  const match = /^(.*?)<([^<>]*)>\s*$/.exec(value.trim());
  if (!match) return { name: "", email: value.trim() };
  // A quoted display name ("Smith, Ann" <ann@example.com>) loses its quotes and backslash escapes.
  const name = (match[1] ?? "")
    .trim()
    .replace(/^"(.*)"$/, "$1")
    .replace(/\\(.)/g, "$1");
  return { name, email: (match[2] ?? "").trim() };
}

/** A way to deliver an EmailMessage; getEmailSender() picks one from the settings. */
export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}

/**
 * The provider refused the message or could not be reached.
 *
 * `temporary` tells a caller (a queued job) whether trying again later may succeed: a network failure, a rate
 * limit or a server error may; a wrong key or an unverified sender will not. The message names the provider
 * and the status, never a credential: it ends up in logs and error trackers.
 */
export class EmailDeliveryError extends Error {
  readonly provider: string;
  readonly status: number | undefined;
  readonly detail: string;
  readonly temporary: boolean;

  constructor(
    provider: string,
    options: { status?: number; detail?: string; temporary?: boolean; cause?: unknown } = {},
  ) {
    const { status, detail = "" } = options;
    const where = status === undefined ? "no response" : `status ${status}`;
    super(`${provider} did not accept the message (${where})${detail ? `: ${detail}` : ""}`, {
      cause: options.cause,
    });
    this.name = "EmailDeliveryError";
    this.provider = provider;
    this.status = status;
    this.detail = detail;
    // HTTP semantics by default; SMTP passes its own (4xx replies are the temporary ones).
    this.temporary = options.temporary ?? (status === undefined || status === 429 || status >= 500);
  }
}
