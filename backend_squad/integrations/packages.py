"""What the providers of one kind share in the generated project: their package's files and common settings.

Each provider's entry lists these plus its own module and tests, so a shared file is named in one place.
"""

from __future__ import annotations

from backend_squad.integrations.catalog import EnvVar

EMAIL_FILES = (
    "app/integrations/email/__init__.py",
    "app/integrations/email/__main__.py",
    "app/integrations/email/message.py",
    "app/integrations/email/settings.py",
    "app/integrations/email/templates.py",
    "tests/integrations/test_email.py",
)
EMAIL_REST_FILE = "app/integrations/email/rest.py"  # the HTTP providers' shared POST
NEXTJS_EMAIL_FILES = (
    "src/lib/email/index.ts",
    "src/lib/email/message.ts",
    "src/lib/email/settings.ts",
    "src/lib/email/templates.ts",
    "scripts/send-email.ts",
    "tests/email.test.ts",
)
NEXTJS_EMAIL_REST_FILE = "src/lib/email/rest.ts"  # the HTTP providers' shared POST
EMAIL_FROM = EnvVar(
    name="EMAIL_FROM", help="the From address, on a domain authenticated at the provider, e.g. Acme <noreply@acme.example>",
    example="noreply@example.com", secret=False,
)

NOTIFY_FILES = (
    "app/integrations/notify/__init__.py",
    "app/integrations/notify/__main__.py",
    "app/integrations/notify/base.py",
    "app/integrations/notify/transport.py",
    "app/integrations/notify/settings.py",
    "tests/integrations/test_notify.py",
)
NOTIFY_PHONE_FILE = "app/integrations/notify/phone.py"  # E.164 checks, for the SMS providers
NEXTJS_NOTIFY_FILES = (
    "src/lib/notify/index.ts",
    "src/lib/notify/base.ts",
    "src/lib/notify/settings.ts",
    "src/lib/notify/transport.ts",
    "scripts/notify.ts",
    "tests/notify.test.ts",
)
NEXTJS_NOTIFY_PHONE_FILE = "src/lib/notify/phone.ts"
NEXTJS_CHAT_CHECK_STEP = (  # the last setup step of every chat provider on Next.js
    "Check the settings from a shell: `npx tsx scripts/notify.ts chat` posts a test message to every configured "
    "channel; with background jobs, `enqueue(\"notify\", { text })` (from `@/jobs/queue`) posts from the worker and "
    "retries only the channels that failed."
)
NEXTJS_SMS_JOB_STEP = (  # the last setup step of every SMS provider on Next.js
    "With background jobs, `enqueue(\"send_sms\", { to, body })` (from `@/jobs/queue`) sends from the worker and "
    "retries with backoff on rate limits (HTTP 429), 5xx answers and network errors, but not on a refused number "
    "or request, or a missing setting."
)
NEXTJS_STAND_IN_SERVER = "tests/stand-in-server.ts"  # the HTTP plumbing of the Stripe, GCS and Supabase stand-ins

STORAGE_FILES = (
    "app/integrations/storage/__init__.py",
    "app/integrations/storage/base.py",
    "app/integrations/storage/settings.py",
    "app/integrations/storage/providers.py",
    "app/integrations/storage/router.py",
    "tests/integrations/test_storage.py",
)
NEXTJS_STORAGE_FILES = (  # and the routes under src/app/api/<prefix>/files/
    "src/lib/storage/index.ts",
    "src/lib/storage/base.ts",
    "src/lib/storage/settings.ts",
    "tests/storage.test.ts",
)
# The S3 API's client for Node (S3 and R2), and the local S3 server the generated tests run against.
NEXTJS_S3_PACKAGES = {"@aws-sdk/client-s3": "3.1169.0", "@aws-sdk/s3-request-presigner": "3.1169.0"}
NEXTJS_S3_STAND_IN = {"s3rver": "3.7.1"}

# Said once per provider's SETUP section: several providers may be chosen, and STORAGE_PROVIDER picks one.
CHOOSE_PROVIDER = (
    "With several storage providers in this project, STORAGE_PROVIDER={name} makes the app use this one "
    "(default: the first provider chosen when the project was generated)."
)
