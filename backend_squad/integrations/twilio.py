"""SMS via Twilio's Programmable Messaging REST API (httpx), behind the shared ``send_sms`` of app.integrations.notify."""

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
    "Sign up at https://www.twilio.com/try-twilio; the Console home page shows the Account SID and Auth Token: set "
    "`TWILIO_ACCOUNT_SID` and `TWILIO_AUTH_TOKEN`. In production prefer an API key (Console > Account > API keys & "
    "tokens > Create API key, type Standard): set `TWILIO_API_KEY` (SK...) and `TWILIO_API_SECRET` and leave the auth "
    "token empty; the account SID is still needed.",
    "Buy a number with SMS capability (Phone Numbers > Manage > Buy a number) and set `TWILIO_FROM` to it in E.164 "
    "form (`+15017122661`), or create a Messaging Service (Messaging > Services), add the number to its sender pool "
    "and set `TWILIO_MESSAGING_SERVICE_SID` (MG...) instead.",
    "Trial accounts only deliver to Verified Caller IDs (Phone Numbers > Manage > Verified Caller IDs) and prefix "
    "every message with \"Sent from your Twilio trial account\"; upgrade the account to text anyone. Sending to US "
    "numbers from a 10-digit long code needs an approved A2P 10DLC brand and campaign.",
)

ENTRY = IntegrationEntry(
    name="twilio",
    title="SMS (Twilio)",
    category="sms",
    available=True,
    module="notify",
    router=False,
    tasks=True,
    env_vars=(
        EnvVar(name="TWILIO_ACCOUNT_SID", help="Console > Account info > Account SID (starts with AC); part of every API URL",
               example="", secret=False),
        EnvVar(name="TWILIO_AUTH_TOKEN", help="Console > Account info > Auth Token; leave empty when you use an API key below"),
        EnvVar(name="TWILIO_API_KEY", help="optional, preferred in production: Console > Account > API keys & tokens > API key SID (SK...)",
               secret=False),
        EnvVar(name="TWILIO_API_SECRET", help="the secret shown once when the API key was created"),
        EnvVar(name="TWILIO_FROM", help="sender: a Twilio phone number in E.164 (+15017122661) or an approved alphanumeric sender ID",
               example="", secret=False),
        EnvVar(name="TWILIO_MESSAGING_SERVICE_SID",
               help="or a Messaging Service SID (MG...), which picks the sender from its pool; used instead of TWILIO_FROM when set",
               secret=False),
    ),
    python_dependencies=("httpx>=0.28",),
    dev_dependencies=("respx>=0.22",),
    files=(*NOTIFY_FILES, NOTIFY_PHONE_FILE, "app/integrations/notify/twilio.py"),
    setup_steps=(
        *ACCOUNT_STEPS,
        "Send from code: `from app.integrations.notify import send_sms`, then `await send_sms(\"+15558675310\", \"Your code is 123456\")`, "
        "which returns the message SID; numbers must be E.164 (`+` and country code; spaces and dashes are removed). With several SMS providers chosen, "
        "`SMS_PROVIDER=twilio` or `vonage` picks one (default: the first chosen).",
        "Check the settings from a shell: `.venv/bin/python -m app.integrations.notify sms +15558675310` sends a test SMS.",
        "With background jobs, `send_sms_task.delay(to, body)` (from `app.integrations.notify.tasks`) sends from the worker and retries with backoff (honouring "
        "`Retry-After` on HTTP 429) on rate limits, 5xx answers and network errors, but not on a refused number or a "
        "missing setting.",
    ),
    nextjs=NextjsSupport(
        dependencies={},  # fetch is built in; the tests record the requests with a fetch of their own
        files=(*NEXTJS_NOTIFY_FILES, NEXTJS_NOTIFY_PHONE_FILE, "src/lib/notify/twilio.ts"),
        setup_steps=(
            *ACCOUNT_STEPS,
            "Send from code: `import { sendSms } from \"@/lib/notify\"`, then `await sendSms(\"+15558675310\", \"Your "
            "code is 123456\")`, which resolves to the message SID; numbers must be E.164 (`+` and country code; "
            "spaces and dashes are removed). With several SMS providers chosen, `SMS_PROVIDER=twilio` or `vonage` "
            "picks one (default: the first chosen).",
            "Check the settings from a shell: `npx tsx scripts/notify.ts sms +15558675310` sends a test SMS.",
            NEXTJS_SMS_JOB_STEP,
        ),
    ),
)
