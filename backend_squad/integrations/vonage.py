"""SMS via the Vonage Messages API (httpx, basic auth), behind the shared ``send_sms`` of app.integrations.notify."""

from __future__ import annotations

from backend_squad.integrations.catalog import EnvVar, IntegrationEntry, NextjsSupport
from backend_squad.integrations.packages import (
    NEXTJS_NOTIFY_FILES,
    NEXTJS_NOTIFY_PHONE_FILE,
    NEXTJS_SMS_JOB_STEP,
    NOTIFY_FILES,
    NOTIFY_PHONE_FILE,
)

# Account and dashboard steps, the same for both stacks.
ACCOUNT_STEPS = (
    "Sign up at https://dashboard.nexmo.com/sign-up; the dashboard home shows the API key and secret: set "
    "`VONAGE_API_KEY` and `VONAGE_API_SECRET`. Messages are sent with the Messages API "
    "(`POST https://api.nexmo.com/v1/messages`, basic auth); in Settings > API settings > SMS settings choose "
    "\"Messages API\" so inbound messages and delivery receipts use the same format.",
    "Set `VONAGE_FROM` to a number you rent (Numbers > Buy numbers) in E.164 form, or to an alphanumeric sender ID "
    "(up to 11 characters) in countries that accept one; US traffic needs a number registered for 10DLC or toll-free.",
    "Trial (free credit) accounts can only text the numbers you verified in the dashboard (Numbers > Test numbers) "
    "and add a notice to each message; top up the account to remove both limits.",
)

ENTRY = IntegrationEntry(
    name="vonage",
    title="SMS (Vonage)",
    category="sms",
    available=True,
    module="notify",
    router=False,
    tasks=True,
    env_vars=(
        EnvVar(name="VONAGE_API_KEY", help="Dashboard home (https://dashboard.nexmo.com) > API key", secret=False),
        EnvVar(name="VONAGE_API_SECRET", help="Dashboard home > API secret (Settings > API keys to rotate it)"),
        EnvVar(name="VONAGE_FROM",
               help="sender: a Vonage virtual number in E.164 (+447700900000) or an alphanumeric sender ID where the country allows it",
               secret=False),
    ),
    python_dependencies=("httpx>=0.28",),
    dev_dependencies=("respx>=0.22",),
    files=(*NOTIFY_FILES, NOTIFY_PHONE_FILE, "app/integrations/notify/vonage.py"),
    setup_steps=(
        *ACCOUNT_STEPS,
        "Send from code: `from app.integrations.notify import send_sms`, then `await send_sms(\"+447700900001\", \"Your code is 123456\")` returns the message UUID; numbers "
        "must be E.164. With several SMS providers chosen, `SMS_PROVIDER=vonage` selects this one.",
        "Check the settings from a shell: `.venv/bin/python -m app.integrations.notify sms +447700900001` sends a test SMS.",
        "With background jobs, `send_sms_task.delay(to, body)` (from `app.integrations.notify.tasks`) sends from the worker and retries with backoff on rate "
        "limits (HTTP 429), 5xx answers and network errors, but not on a refused request or a missing setting.",
    ),
    nextjs=NextjsSupport(
        dependencies={},  # fetch is built in; the tests record the requests with a fetch of their own
        files=(*NEXTJS_NOTIFY_FILES, NEXTJS_NOTIFY_PHONE_FILE, "src/lib/notify/vonage.ts"),
        setup_steps=(
            *ACCOUNT_STEPS,
            "Send from code: `import { sendSms } from \"@/lib/notify\"`, then `await sendSms(\"+447700900001\", \"Your "
            "code is 123456\")` resolves to the message UUID; numbers must be E.164. With several SMS providers "
            "chosen, `SMS_PROVIDER=vonage` selects this one.",
            "Check the settings from a shell: `npx tsx scripts/notify.ts sms +447700900001` sends a test SMS.",
            NEXTJS_SMS_JOB_STEP,
        ),
    ),
)
