"""E-mail through Mailgun's Messages API (form data over HTTPS, basic auth), tested against a recording HTTP client."""

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
    "Mailgun: Send > Sending > Domains > Add new domain (a subdomain such as `mg.acme.example` keeps your main domain's "
    "reputation apart) and pick the US or EU region; the region cannot change later.",
    "Publish the TXT (SPF, DKIM), MX and CNAME (tracking) records Mailgun lists at your DNS host, then press Verify; "
    "set `MAILGUN_DOMAIN` to that domain.",
    "EU domains are served only by `https://api.eu.mailgun.net`: set `MAILGUN_API_URL` to it (a US URL answers 404/401).",
    "Domain settings > Sending API keys > Add sending key, and put it in `MAILGUN_API_KEY` (it can only send for that "
    "domain; the account key under API Security works too but can do everything).",
    "The sandbox domain (`sandbox....mailgun.org`) only delivers to up to five Authorized Recipients you confirm in "
    "the dashboard; use it while testing, then switch `MAILGUN_DOMAIN` to your own domain.",
    "Set `EMAIL_FROM` to an address on `MAILGUN_DOMAIN`. A refusal raises `EmailDeliveryError` with Mailgun's status "
    "and message.",
)

ENTRY = IntegrationEntry(
    name="mailgun",
    title="E-mail (Mailgun)",
    category="email",
    available=True,
    module="email",
    tasks=True,
    env_vars=(
        EnvVar(name="MAILGUN_API_KEY", help="a Domain Sending Key (sends for one domain only) or an account API key"),
        EnvVar(name="MAILGUN_DOMAIN", help="the sending domain, e.g. mg.acme.example (or the sandbox domain while testing)",
               example="", secret=False),
        EnvVar(
            name="MAILGUN_API_URL",
            help="https://api.mailgun.net (US region) or https://api.eu.mailgun.net for a domain created in the EU region",
            example="https://api.mailgun.net",
            secret=False,
        ),
        EMAIL_FROM,
    ),
    python_dependencies=("httpx>=0.28", "jinja2>=3.1"),
    files=(*EMAIL_FILES, EMAIL_REST_FILE, "app/integrations/email/mailgun.py", "tests/integrations/test_email_mailgun.py"),
    setup_steps=(
        *PROVIDER_STEPS,
        "Check it from a shell: `EMAIL_PROVIDER=mailgun .venv/bin/python -m app.integrations.email you@example.com`.",
    ),
    nextjs=NextjsSupport(
        dependencies={},  # fetch is built in; the tests record the requests with a fetch of their own
        files=(*NEXTJS_EMAIL_FILES, NEXTJS_EMAIL_REST_FILE, "src/lib/email/mailgun.ts"),
        setup_steps=(
            *PROVIDER_STEPS,
            "Check it from a shell: `EMAIL_PROVIDER=mailgun npx tsx scripts/send-email.ts you@example.com`.",
        ),
    ),
)
