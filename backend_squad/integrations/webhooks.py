"""Webhooks: signed outgoing deliveries with retries and a verified, idempotent incoming receiver (built in)."""

from __future__ import annotations

from backend_squad.integrations.catalog import EnvVar, IntegrationEntry

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
        "Receivers verify `X-Webhook-Signature: t=<unix>,v1=<hex>`: HMAC-SHA256 of `f\"{t}.{raw body}\"` with the "
        "subscription secret, compared in constant time, refusing timestamps older than the tolerance.",
        "Incoming: set WEBHOOK_SIGNING_SECRET (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(32))'`), "
        "share it with the sender, and point it at POST /webhooks/incoming/<source>; each event id is processed once.",
        "Outgoing deliveries go to public addresses only: URLs on localhost, private, loopback or link-local addresses "
        "(such as the cloud metadata address 169.254.169.254) are refused at registration and again, against DNS, before "
        "each send, and redirects are not followed. For a receiver on your machine set WEBHOOK_ALLOW_PRIVATE_URLS=true "
        "in development only.",
        "Failed deliveries are retried with exponential backoff (next_attempt_at); GET /webhooks/deliveries shows the "
        "log and POST /webhooks/deliveries/<id>/replay sends one again.",
    ),
)
