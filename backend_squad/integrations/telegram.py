"""Chat notifications through a Telegram bot (Bot API sendMessage over httpx); the token never reaches errors or logs."""

from __future__ import annotations

from backend_squad.integrations.catalog import EnvVar, IntegrationEntry, NextjsSupport
from backend_squad.integrations.packages import NEXTJS_CHAT_CHECK_STEP, NEXTJS_NOTIFY_FILES, NOTIFY_FILES

# Account and dashboard steps, the same for both stacks.
ACCOUNT_STEPS = (
    "In Telegram talk to @BotFather, send `/newbot`, choose a name and a username ending in \"bot\", and set "
    "`TELEGRAM_BOT_TOKEN` to the token it replies with (`/revoke` issues a new one if it leaks).",
    "Find the chat id: send any message to your bot (or add the bot to the group and mention it), then open "
    "`https://api.telegram.org/bot<token>/getUpdates` in a browser and copy `message.chat.id` into `TELEGRAM_CHAT_ID` "
    "(group and channel ids are negative: keep the minus sign). For a public channel, add the bot as an administrator "
    "and use `@channelusername`. A bot cannot message a user who never started a chat with it.",
)

ENTRY = IntegrationEntry(
    name="telegram",
    title="Chat notifications (Telegram)",
    category="chat",
    available=True,
    module="notify",
    router=False,
    tasks=True,
    env_vars=(
        EnvVar(name="TELEGRAM_BOT_TOKEN", help="the token @BotFather gives when you create the bot (123456789:AA...)"),
        EnvVar(name="TELEGRAM_CHAT_ID",
               help="the chat to post to: a user or group id (groups are negative, e.g. -1001234567890) or @channelusername",
               secret=False),
    ),
    python_dependencies=("httpx>=0.28",),
    dev_dependencies=("respx>=0.22",),
    files=(*NOTIFY_FILES, "app/integrations/notify/telegram.py"),
    setup_steps=(
        *ACCOUNT_STEPS,
        "Send from code: `from app.integrations.notify import notify`, then `await notify(\"Deploy finished\")`; text is sent as plain text (no parse_mode, so nothing is "
        "interpreted as markup) and shortened to Telegram's 4,096 characters. The token is part of the API URL: the app "
        "redacts it from errors and from httpx's request log.",
        "Telegram answers HTTP 429 with `parameters.retry_after` when a chat gets more than about one message per second "
        "(20 per minute in a group); `notify_task` waits that long before retrying.",
        "Check the settings from a shell: `.venv/bin/python -m app.integrations.notify chat` posts a test message to every "
        "configured channel; with background jobs, `notify_task.delay(text)` (from `app.integrations.notify.tasks`) "
        "posts from the worker and retries only the channels that failed.",
    ),
    nextjs=NextjsSupport(
        dependencies={},  # fetch is built in; the tests record the requests with a fetch of their own
        files=(*NEXTJS_NOTIFY_FILES, "src/lib/notify/telegram.ts"),
        setup_steps=(
            *ACCOUNT_STEPS,
            "Send from code: `import { notify } from \"@/lib/notify\"`, then `await notify(\"Deploy finished\")`; "
            "text is sent as plain text (no parse_mode, so nothing is interpreted as markup) and shortened to "
            "Telegram's 4,096 characters. The token is part of the API URL: the app redacts it from errors.",
            "Telegram answers HTTP 429 with `parameters.retry_after` when a chat gets more than about one message "
            "per second (20 per minute in a group); the error's `retryAfter` holds it and the "
            "`notify` job waits that long before retrying.",
            NEXTJS_CHAT_CHECK_STEP,
        ),
    ),
)
