"""E-mail through SendGrid's v3 Mail Send API (JSON over HTTPS), tested against httpx's MockTransport."""

from __future__ import annotations

from backend_squad.integrations.catalog import EnvVar, IntegrationEntry, NextjsSupport
from backend_squad.integrations.packages import (
    EMAIL_FILES,
    EMAIL_FROM,
    EMAIL_REST_FILE,
    NEXTJS_EMAIL_FILES,
    NEXTJS_EMAIL_REST_FILE,
)

# Dashboard and DNS steps, the same for both stacks.
PROVIDER_STEPS = (
    "SendGrid: Settings > Sender Authentication > Authenticate Your Domain, then publish the CNAME records it shows "
    "(DKIM and the return path) at your DNS host and press Verify; until then only a verified Single Sender works.",
    "Settings > API Keys > Create API Key > Restricted Access, grant only Mail Send > Full Access, and put the key "
    "(shown once, it starts with `SG.`) in `SENDGRID_API_KEY`.",
    "EU regional subusers (data kept in the EU) must call `https://api.eu.sendgrid.com`: set `SENDGRID_API_URL` to it.",
    "Set `EMAIL_FROM` to an address on the authenticated domain. A refusal (401 wrong key, 403 sender not verified, "
    "400 bad field) raises `EmailDeliveryError` with SendGrid's status and error text.",
    "SendGrid answers 202 when it has queued the message; delivery, bounces and spam reports appear in Activity "
    "(or the Event Webhook). Free accounts have a daily sending limit.",
)

ENTRY = IntegrationEntry(
    name="sendgrid",
    title="E-mail (SendGrid)",
    category="email",
    available=True,
    module="email",
    tasks=True,
    env_vars=(
        EnvVar(name="SENDGRID_API_KEY", help="API key with the Mail Send permission (Settings > API Keys > Restricted Access)"),
        EnvVar(
            name="SENDGRID_API_URL",
            help="https://api.sendgrid.com, or https://api.eu.sendgrid.com for an EU regional subuser",
            example="https://api.sendgrid.com",
            secret=False,
        ),
        EMAIL_FROM,
    ),
    python_dependencies=("httpx>=0.28", "jinja2>=3.1"),
    files=(*EMAIL_FILES, EMAIL_REST_FILE, "app/integrations/email/sendgrid.py", "tests/integrations/test_email_sendgrid.py"),
    setup_steps=(
        *PROVIDER_STEPS,
        "Check it from a shell: `EMAIL_PROVIDER=sendgrid .venv/bin/python -m app.integrations.email you@example.com`.",
    ),
    nextjs=NextjsSupport(
        dependencies={},  # fetch is built in; the tests record the requests with a fetch of their own
        files=(*NEXTJS_EMAIL_FILES, NEXTJS_EMAIL_REST_FILE, "src/lib/email/sendgrid.ts"),
        setup_steps=(
            *PROVIDER_STEPS,
            "Check it from a shell: `EMAIL_PROVIDER=sendgrid npx tsx scripts/send-email.ts you@example.com`.",
        ),
    ),
)
