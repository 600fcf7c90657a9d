"""E-mail through Amazon SES (API v2 ``SendEmail``): boto3 tested against moto's server, the AWS SDK for JavaScript
against a stand-in of the API on 127.0.0.1."""

from __future__ import annotations

from backend_squad.integrations.catalog import EnvVar, IntegrationEntry, NextjsSupport
from backend_squad.integrations.packages import EMAIL_FILES, EMAIL_FROM, NEXTJS_EMAIL_FILES

# Console, DNS and IAM steps, the same for both stacks.
PROVIDER_STEPS = (
    "Amazon SES console, in the region you will send from (`SES_REGION`): Configuration > Identities > Create identity "
    "> Domain; publish the three DKIM CNAME records at your DNS host (Route 53 can do it for you) and wait for Verified.",
    "Optionally set a custom MAIL FROM domain (an MX and an SPF TXT record) so SPF aligns with your domain for DMARC.",
    "New accounts are in the sandbox: you can only send to verified addresses, 200 messages a day. Request production "
    "access (Account dashboard > Request production access) before sending to customers.",
    "IAM: create a user (or role) with a policy allowing `ses:SendEmail` on `arn:aws:ses:<region>:<account>:identity/<domain>`; "
    "put its access key in `SES_ACCESS_KEY_ID` / `SES_SECRET_ACCESS_KEY`, or leave them empty to use the instance or task role.",
    "Set `EMAIL_FROM` to an address on the verified domain. A refusal (e.g. `MessageRejected`: address not verified) "
    "raises `EmailDeliveryError` with the status and SES error code.",
)

ENTRY = IntegrationEntry(
    name="ses",
    title="E-mail (Amazon SES)",
    category="email",
    available=True,
    module="email",
    tasks=True,
    env_vars=(
        EnvVar(name="SES_REGION", help="the AWS region where your identities are verified, e.g. eu-west-1", example="", secret=False),
        EnvVar(name="SES_ACCESS_KEY_ID",
               help="access key of an IAM user allowed ses:SendEmail (empty: the AWS SDK's usual chain, e.g. an instance or task role)",
               example=""),
        EnvVar(name="SES_SECRET_ACCESS_KEY", help="its secret", example=""),
        EnvVar(name="SES_ENDPOINT_URL", help="empty for AWS; a VPC endpoint or a local stand-in",
               example="", secret=False),
        EMAIL_FROM,
    ),
    python_dependencies=("boto3>=1.36", "jinja2>=3.1"),
    dev_dependencies=("moto[server]>=5",),
    files=(*EMAIL_FILES, "app/integrations/email/ses.py", "tests/integrations/test_email_ses.py"),
    setup_steps=(
        *PROVIDER_STEPS,
        "Check it from a shell: `EMAIL_PROVIDER=ses .venv/bin/python -m app.integrations.email you@example.com`.",
    ),
    nextjs=NextjsSupport(
        dependencies={"@aws-sdk/client-sesv2": "3.1169.0"},
        files=(*NEXTJS_EMAIL_FILES, "src/lib/email/ses.ts"),
        setup_steps=(
            *PROVIDER_STEPS,
            "Check it from a shell: `EMAIL_PROVIDER=ses npx tsx scripts/send-email.ts you@example.com`.",
        ),
    ),
)
