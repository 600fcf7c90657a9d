"""E-mail through Resend's REST API (``POST /emails``, JSON, bearer key), tested against httpx's MockTransport."""

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
    "Resend: Domains > Add Domain (a subdomain such as `mail.acme.example` works well), publish the DKIM (TXT), "
    "SPF (TXT and MX on the `send` subdomain) records it lists at your DNS host and wait until the domain shows Verified.",
    "API Keys > Create API Key with permission Sending access, restricted to that domain; put it in `RESEND_API_KEY`.",
    "Before your domain is verified you can only send from `onboarding@resend.dev` to your own account's address; "
    "the test recipients `delivered@resend.dev` and `bounced@resend.dev` simulate outcomes without hurting your reputation.",
    "Set `EMAIL_FROM` to an address on the verified domain. A refusal (401/403 key, 422 invalid field or unverified "
    "domain, 429 rate limit) raises `EmailDeliveryError` with Resend's status and message.",
)

ENTRY = IntegrationEntry(
    name="resend",
    title="E-mail (Resend)",
    category="email",
    available=True,
    module="email",
    tasks=True,
    env_vars=(
        EnvVar(name="RESEND_API_KEY", help="API key with Sending access (starts with re_), restricted to your domain"),
        EnvVar(name="RESEND_API_URL", help="the API base URL (change it only for a proxy or a local stand-in)",
               example="https://api.resend.com", secret=False),
        EMAIL_FROM,
    ),
    python_dependencies=("httpx>=0.28", "jinja2>=3.1"),
    files=(*EMAIL_FILES, EMAIL_REST_FILE, "app/integrations/email/resend.py", "tests/integrations/test_email_resend.py"),
    setup_steps=(
        *PROVIDER_STEPS,
        "Check it from a shell: `EMAIL_PROVIDER=resend .venv/bin/python -m app.integrations.email you@example.com`.",
    ),
    nextjs=NextjsSupport(
        dependencies={},  # fetch is built in; the tests record the requests with a fetch of their own
        files=(*NEXTJS_EMAIL_FILES, NEXTJS_EMAIL_REST_FILE, "src/lib/email/resend.ts"),
        setup_steps=(
            *PROVIDER_STEPS,
            "Check it from a shell: `EMAIL_PROVIDER=resend npx tsx scripts/send-email.ts you@example.com`.",
        ),
    ),
)
