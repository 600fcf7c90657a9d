"""Chat notifications to Slack: an incoming webhook, or a bot token with chat.postMessage (httpx)."""

from __future__ import annotations

from backend_squad.integrations.catalog import EnvVar, IntegrationEntry, NextjsSupport
from backend_squad.integrations.packages import NEXTJS_CHAT_CHECK_STEP, NEXTJS_NOTIFY_FILES, NOTIFY_FILES

# Account and dashboard steps, the same for both stacks.
ACCOUNT_STEPS = (
    "Create an app at https://api.slack.com/apps (From scratch, pick the workspace), open Incoming Webhooks, turn "
    "them on, click \"Add New Webhook to Workspace\", choose the channel and set `SLACK_WEBHOOK_URL` to the URL shown. "
    "Keep it secret: it is the only credential needed to post there.",
    "Or, to post to channels chosen at run time, add the `chat:write` bot scope under OAuth & Permissions, install the "
    "app, set `SLACK_BOT_TOKEN` (xoxb-...) and `SLACK_CHANNEL` (the channel ID from the channel's About panel), and "
    "invite the bot to the channel (`/invite @your-app`). The webhook URL wins when both are set.",
)

ENTRY = IntegrationEntry(
    name="slack",
    title="Chat notifications (Slack)",
    category="chat",
    available=True,
    module="notify",
    router=False,
    tasks=True,
    env_vars=(
        EnvVar(name="SLACK_WEBHOOK_URL",
               help="incoming webhook URL (https://hooks.slack.com/services/...); it is a secret: it lets anyone post to the channel"),
        EnvVar(name="SLACK_BOT_TOKEN", help="or a bot token (xoxb-...) with the chat:write scope, used with SLACK_CHANNEL"),
        EnvVar(name="SLACK_CHANNEL", help="channel ID (C0123456789) or name the bot posts to; the bot must be a member",
               secret=False),
    ),
    python_dependencies=("httpx>=0.28",),
    dev_dependencies=("respx>=0.22",),
    files=(*NOTIFY_FILES, "app/integrations/notify/slack.py"),
    setup_steps=(
        *ACCOUNT_STEPS,
        "Send from code: `from app.integrations.notify import notify`, then `await notify(\"Deploy finished\")` posts to every configured chat channel; `&`, `<` and `>` are "
        "escaped, so text cannot trigger @channel mentions. Slack allows about one message per second per channel; "
        "HTTP 429 answers are retried after their `Retry-After` by `notify_task`.",
        "Check the settings from a shell: `.venv/bin/python -m app.integrations.notify chat` posts a test message to every "
        "configured channel; with background jobs, `notify_task.delay(text)` (from `app.integrations.notify.tasks`) "
        "posts from the worker and retries only the channels that failed.",
    ),
    nextjs=NextjsSupport(
        dependencies={},  # fetch is built in; the tests record the requests with a fetch of their own
        files=(*NEXTJS_NOTIFY_FILES, "src/lib/notify/slack.ts"),
        setup_steps=(
            *ACCOUNT_STEPS,
            "Send from code: `import { notify } from \"@/lib/notify\"`, then `await notify(\"Deploy finished\")` "
            "posts to every configured chat channel; `&`, `<` and `>` are escaped, so text cannot trigger "
            "@channel mentions. Slack allows about one message per second per channel; an HTTP 429 answer's "
            "`Retry-After` is in the error's `retryAfter`, and the `notify` job waits that long before retrying.",
            NEXTJS_CHAT_CHECK_STEP,
        ),
    ),
)
