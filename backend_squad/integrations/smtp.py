"""E-mail over SMTP (any provider's submission port), tested against a local aiosmtpd server."""

from __future__ import annotations

from backend_squad.integrations.catalog import EnvVar, IntegrationEntry, NextjsSupport
from backend_squad.integrations.packages import EMAIL_FILES, EMAIL_FROM, NEXTJS_EMAIL_FILES

# Dashboard and DNS steps, the same for both stacks.
PROVIDER_STEPS = (
    "Create SMTP credentials at your provider (SendGrid, Mailgun, Amazon SES, Postmark, Resend and Gmail all offer an "
    "SMTP submission endpoint) and set `SMTP_URL`, e.g. `smtp://apikey:SECRET@smtp.sendgrid.net:587`; "
    "percent-encode special characters in the password (`@` is `%40`).",
    "Use port 587 with `smtp://` (STARTTLS is required, so credentials never travel in clear) or port 465 with `smtps://`.",
    "Set `EMAIL_FROM` to an address on a domain you verified at the provider, and publish its SPF and DKIM records "
    "so messages are not marked as spam.",
    "Local development: run a mail catcher (`docker run -p 1025:1025 -p 8025:8025 axllent/mailpit`) and set "
    "`SMTP_URL=smtp://localhost:1025?starttls=false`; read the messages at http://localhost:8025.",
)

ENTRY = IntegrationEntry(
    name="smtp",
    title="E-mail (SMTP)",
    category="email",
    available=True,
    module="email",
    router=False,
    tasks=True,
    env_vars=(
        EnvVar(
            name="SMTP_URL",
            help=(
                "smtp://user:pass@smtp.example.com:587 (STARTTLS, required by default) or smtps://user:pass@host:465 "
                "(implicit TLS); ?starttls=false only for a local catcher such as Mailpit; empty: e-mail disabled"
            ),
        ),
        EMAIL_FROM,
    ),
    python_dependencies=("aiosmtplib>=3", "jinja2>=3.1"),
    dev_dependencies=("aiosmtpd>=1.4",),
    files=(*EMAIL_FILES, "app/integrations/email/smtp.py", "tests/integrations/test_email_smtp.py"),
    setup_steps=(
        *PROVIDER_STEPS,
        "Send from code with `await send_email(to, subject, text, html)` or a template: `await send_welcome_email(user.email)` "
        "after a user registers, `await send_password_reset_email(email, reset_url)`; templates live in "
        "`app/integrations/email/templates.py`.",
        "Check the settings from a shell: `.venv/bin/python -m app.integrations.email you@example.com` sends a test message.",
    ),
    nextjs=NextjsSupport(
        dependencies={"nodemailer": "10.6.0"},
        # The tests' stand-in: a real SMTP server, and a parser for what it received (nodemailer ships its own types).
        dev_dependencies={"smtp-server": "3.21.6", "@types/smtp-server": "3.5.13", "mailparser": "3.14.2",
                          "@types/mailparser": "3.9.0"},
        files=(*NEXTJS_EMAIL_FILES, "src/lib/email/smtp.ts"),
        setup_steps=(
            *PROVIDER_STEPS,
            "Send from code with `await sendEmail(to, subject, text, html)` or a template: "
            "`await sendWelcomeEmail(user.email)` after a user registers, `await sendPasswordResetEmail(email, resetUrl)` "
            "(all from `@/lib/email`); templates live in `src/lib/email/templates.ts`.",
            "Check the settings from a shell: `npx tsx scripts/send-email.ts you@example.com` sends a test message.",
        ),
    ),
)
