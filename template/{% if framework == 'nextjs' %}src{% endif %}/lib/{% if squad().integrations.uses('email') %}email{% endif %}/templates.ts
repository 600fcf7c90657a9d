/**
 * Message templates as typed functions: a subject, a text part and an HTML part each. The HTML goes through the
 * `html` tag, which escapes every interpolated value (a user's name can hold `<script>`); the text part and the
 * subject are plain text and are not escaped. Add a template by writing its function and listing it in TEMPLATES.
 */

export type RenderedEmail = Readonly<{ subject: string; text: string; html: string }>;

/** HTML that is already safe: the `html` tag inserts it as is instead of escaping it. */
class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&#34;",
  "'": "&#39;",
};

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}

/** A template literal whose values are escaped (null, undefined and false render as nothing). */
function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? "";
  values.forEach((value, index) => {
    const rendered =
      value instanceof SafeHtml
        ? value.value
        : value == null || value === false
          ? ""
          : escapeHtml(String(value));
    out += rendered + (strings[index + 1] ?? "");
  });
  return new SafeHtml(out);
}

/** One line: a header cannot hold line breaks. */
function oneLine(subject: string): string {
  return subject.trim().replace(/\s+/g, " ");
}

function layout(appName: string, body: SafeHtml): string {
  return html`<!doctype html>
<html><body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #222; max-width: 560px; margin: 0 auto;">
${body}
<p style="color: #888; font-size: 12px;">${appName}</p>
</body></html>
`.value;
}

export type WelcomeContext = {
  appName: string;
  email: string;
  name?: string | null;
  loginUrl?: string | null;
};

/** The welcome message for a new account. */
export function welcome({ appName, email, name, loginUrl }: WelcomeContext): RenderedEmail {
  const greeting = name || email;
  return {
    subject: oneLine(`Welcome to ${appName}`),
    text: [
      `Hello ${greeting},`,
      "",
      `Your ${appName} account for ${email} is ready.`,
      ...(loginUrl ? ["", `Sign in: ${loginUrl}`] : []),
      "",
      "If you did not create this account, you can ignore this message.",
      "",
    ].join("\n"),
    html: layout(
      appName,
      html`<p>Hello ${greeting},</p>
<p>Your ${appName} account for <strong>${email}</strong> is ready.</p>
${loginUrl && html`<p><a href="${loginUrl}">Sign in</a></p>`}
<p>If you did not create this account, you can ignore this message.</p>`,
    ),
  };
}

export type PasswordResetContext = {
  appName: string;
  email: string;
  /** The link carrying your single-use token. */
  resetUrl: string;
  expiresMinutes?: number;
};

/** The password reset message. */
export function passwordReset({
  appName,
  email,
  resetUrl,
  expiresMinutes = 30,
}: PasswordResetContext): RenderedEmail {
  return {
    subject: oneLine(`Reset your ${appName} password`),
    text: [
      "Hello,",
      "",
      `Someone asked to reset the password of the ${appName} account for ${email}.`,
      `Open this link within ${expiresMinutes} minutes to choose a new one:`,
      "",
      resetUrl,
      "",
      "If it was not you, ignore this message: your password stays the same.",
      "",
    ].join("\n"),
    html: layout(
      appName,
      html`<p>Hello,</p>
<p>Someone asked to reset the password of the ${appName} account for <strong>${email}</strong>.
Open this link within ${expiresMinutes} minutes to choose a new one:</p>
<p><a href="${resetUrl}">Reset my password</a></p>
<p>If it was not you, ignore this message: your password stays the same.</p>`,
    ),
  };
}

/** Every template by name, for renderEmail and sendTemplate. */
export const TEMPLATES = {
  welcome,
  password_reset: passwordReset,
};

export type TemplateName = keyof typeof TEMPLATES;
export type TemplateContext<N extends TemplateName> = Parameters<(typeof TEMPLATES)[N]>[0];

/** Render the subject, text and HTML of template `name` with `context`. */
export function renderEmail<N extends TemplateName>(name: N, context: TemplateContext<N>): RenderedEmail {
  const render = TEMPLATES[name] as (context: TemplateContext<N>) => RenderedEmail;
  return render(context);
}
