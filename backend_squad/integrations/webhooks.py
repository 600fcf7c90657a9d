"""Webhooks: signed outgoing deliveries with retries and a verified, idempotent incoming receiver (built in)."""

from __future__ import annotations

from backend_squad.integrations.catalog import EnvVar, IntegrationEntry, NextjsSupport

# The same on both stacks: the scheme receivers verify, where deliveries may go, and the delivery log.
SIGNATURE_STEP = (  # {signed}: the signed text, spelt the way the stack's code would
    "Receivers verify `X-Webhook-Signature: t=<unix>,v1=<hex>`: HMAC-SHA256 of `{signed}` with the "
    "subscription secret, compared in constant time, refusing timestamps older than the tolerance."
)
DESTINATIONS_STEP = (
    "Outgoing deliveries go to public addresses only: URLs on localhost, private, loopback or link-local addresses "
    "(such as the cloud metadata address 169.254.169.254) are refused at registration and again, against DNS, before "
    "each send, and redirects are not followed. For a receiver on your machine set WEBHOOK_ALLOW_PRIVATE_URLS=true "
    "in development only."
)
LOG_STEP = (
    "Failed deliveries are retried with exponential backoff (next_attempt_at); GET /webhooks/deliveries shows the "
    "log and POST /webhooks/deliveries/<id>/replay sends one again."
)

ENTRY = IntegrationEntry(
    name="webhooks",
    title="Webhooks",
    category="webhooks",
    available=True,
    module="webhooks",
    router=True,
    models=True,
    tasks=True,
    env_vars=(
        EnvVar(name="WEBHOOK_SIGNING_SECRET",
               help="HMAC-SHA256 key that senders use to sign requests to /webhooks/incoming/<source>",
               example=""),
        EnvVar(name="WEBHOOK_TOLERANCE_SECONDS",
               help="how old (or how far in the future) a signed timestamp may be before it is refused (default 300)",
               example="300", secret=False),
        EnvVar(name="WEBHOOK_MAX_ATTEMPTS",
               help="delivery attempts per outgoing event before it is marked failed (default 6)",
               example="6", secret=False),
        EnvVar(name="WEBHOOK_ALLOW_PRIVATE_URLS",
               help="true lets outgoing webhooks reach private, loopback and link-local addresses: local development only",
               example="false", secret=False),
    ),
    # httpx sends the outgoing deliveries (it is otherwise only a dev dependency).
    python_dependencies=("httpx>=0.28",),
    files=(
        "app/integrations/webhooks/__init__.py",
        "app/integrations/webhooks/destinations.py",
        "app/integrations/webhooks/models.py",
        "app/integrations/webhooks/signing.py",
        "app/integrations/webhooks/service.py",
        "app/integrations/webhooks/routes.py",
        "migrations/versions/0002_webhooks.py",
        "tests/integrations/test_webhooks.py",
    ),
    setup_steps=(
        "Outgoing: a user registers an endpoint with POST /webhooks/subscriptions (url, event_types; \"*\" matches all) "
        "and keeps the secret returned once; call `await emit(session, event_type, payload)` from your code and commit, "
        "then `await deliver(delivery_id)` (or run the Celery task when background jobs are on).",
        SIGNATURE_STEP.format(signed='f"{t}.{raw body}"'),
        "Incoming: set WEBHOOK_SIGNING_SECRET (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`), "
        "share it with the sender, and point it at POST /webhooks/incoming/<source>; each event id is processed once.",
        DESTINATIONS_STEP,
        LOG_STEP,
    ),
    nextjs=NextjsSupport(
        dependencies={},  # node:crypto signs, node:http sends, node:dns and node:net check the destinations
        files=(
            "src/lib/webhooks/index.ts",
            "src/lib/webhooks/settings.ts",
            "src/lib/webhooks/signing.ts",
            "src/lib/webhooks/destinations.ts",
            "src/lib/webhooks/transport.ts",
            "src/lib/webhooks/service.ts",
            "src/lib/webhooks/subscriptions.ts",
            "src/lib/webhooks/deliveries.ts",
            "src/lib/webhooks/incoming.ts",
            "tests/webhooks.test.ts",
        ),
        setup_steps=(
            "Outgoing: a user registers an endpoint with POST /webhooks/subscriptions (url, event_types; \"*\" matches "
            "all) and keeps the secret returned once. In your code, `import { deliver, emit } from \"@/lib/webhooks\"`, "
            "call `const deliveries = await emit(\"order.paid\", payload, tx)` inside the transaction that makes the "
            "change, and once it committed `await deliver(delivery.id)` for each (or, with background jobs, "
            "`enqueue(\"deliver_webhook\", { deliveryId: delivery.id })`; the worker's `deliver_due_webhooks` also sends "
            "the due retries every 30 s; without it, call `deliverDue()` from a cron job).",
            SIGNATURE_STEP.format(signed="${t}.${raw body}"),
            "Incoming: set WEBHOOK_SIGNING_SECRET (e.g. `openssl rand -base64 32`, or `node -e \"console.log(require("
            "'node:crypto').randomBytes(32).toString('base64url'))\"`), share it with the sender, and point it at POST "
            "/webhooks/incoming/<source>; each event id is processed once. Act on events with "
            "`onIncoming(\"<source>\", async (tx, event) => { ... })` in `src/lib/webhooks/incoming.ts`: a handler that "
            "throws keeps nothing, so the sender's retry processes the event again.",
            DESTINATIONS_STEP,
            LOG_STEP,
            "The tables `webhook_subscriptions`, `webhook_deliveries` and `received_webhooks` are in `src/db/schema.ts`, "
            "so `make install` writes them into the first migration; a project that adds webhooks later runs "
            "`make migration name=webhooks` and `make migrate`.",
        ),
    ),
)
