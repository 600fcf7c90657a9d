"""Chat notifications to a Discord channel webhook (httpx), with mentions disabled by default."""

from __future__ import annotations

from backend_squad.integrations.catalog import EnvVar, IntegrationEntry, NextjsSupport
from backend_squad.integrations.packages import NEXTJS_CHAT_CHECK_STEP, NEXTJS_NOTIFY_FILES, NOTIFY_FILES

# Account and dashboard steps, the same for both stacks.
ACCOUNT_STEPS = (
    "In Discord open the channel's settings (Edit Channel) > Integrations > Webhooks > New Webhook (you need the "
    "Manage Webhooks permission), name it, click \"Copy Webhook URL\" and set `DISCORD_WEBHOOK_URL`.",
)

ENTRY = IntegrationEntry(
    name="discord",
    title="Chat notifications (Discord)",
    category="chat",
    available=True,
    module="notify",
    router=False,
    tasks=True,
    env_vars=(
        EnvVar(name="DISCORD_WEBHOOK_URL",
               help="channel webhook URL (https://discord.com/api/webhooks/<id>/<token>); a secret: the token is part of the URL"),
    ),
    python_dependencies=("httpx>=0.28",),
    dev_dependencies=("respx>=0.22",),
    files=(*NOTIFY_FILES, "app/integrations/notify/discord.py"),
    setup_steps=(
        *ACCOUNT_STEPS,
        "Send from code: `from app.integrations.notify import notify`, then `await notify(\"Deploy finished\")`. Messages are sent with `allowed_mentions` empty, so text "
        "containing @everyone, @here or a role never pings anyone; text longer than 2,000 characters is shortened.",
        "Discord rate-limits each webhook (HTTP 429 with `Retry-After`); `notify_task` waits that long before retrying. "
        "Delete the webhook in the same screen to revoke a leaked URL.",
        "Check the settings from a shell: `.venv/bin/python -m app.integrations.notify chat` posts a test message to every "
        "configured channel; with background jobs, `notify_task.delay(text)` (from `app.integrations.notify.tasks`) "
        "posts from the worker and retries only the channels that failed.",
    ),
    nextjs=NextjsSupport(
        dependencies={},  # fetch is built in; the tests record the requests with a fetch of their own
        files=(*NEXTJS_NOTIFY_FILES, "src/lib/notify/discord.ts"),
        setup_steps=(
            *ACCOUNT_STEPS,
            "Send from code: `import { notify } from \"@/lib/notify\"`, then `await notify(\"Deploy finished\")`. "
            "Messages are sent with `allowed_mentions` empty, so text containing @everyone, @here or a role never "
            "pings anyone; text longer than 2,000 characters is shortened.",
            "Discord rate-limits each webhook (HTTP 429 with `Retry-After`); the error's `retryAfter` holds it and "
            "the `notify` job waits that long before retrying. Delete the webhook in the same screen to revoke a leaked URL.",
            NEXTJS_CHAT_CHECK_STEP,
        ),
    ),
)
