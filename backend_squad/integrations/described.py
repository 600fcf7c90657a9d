"""Integrations the agents can describe (for the seed's method names) before the template renders them.

An entry moves to its own module, with ``available=True``, when its templates and tests exist.
"""

from __future__ import annotations

from backend_squad.integrations.catalog import EnvVar, IntegrationEntry

DESCRIBED: tuple[IntegrationEntry, ...] = (
    IntegrationEntry(
        name="stripe", category="payments",
        env_vars=(EnvVar(name="STRIPE_SECRET_KEY", help="Dashboard > Developers > API keys"),
                  EnvVar(name="STRIPE_WEBHOOK_SECRET", help="Dashboard > Developers > Webhooks > signing secret")),
        python_dependencies=("stripe>=11",),
        setup_steps=("Create a restricted key with Checkout and Billing write access.",
                     "Add a webhook endpoint pointing at /webhooks/stripe."),
        webhook_events=("checkout.session.completed", "customer.subscription.updated",
                        "customer.subscription.deleted", "invoice.payment_failed"),
    ),
    IntegrationEntry(
        name="oauth", category="auth",
        env_vars=(EnvVar(name="OAUTH_CLIENT_ID", help="the provider's client id", secret=False),
                  EnvVar(name="OAUTH_CLIENT_SECRET", help="the provider's client secret")),
        python_dependencies=("authlib>=1.3",),
        setup_steps=("Register the app with the provider; callback URL /auth/oauth/<provider>/callback.",),
    ),
    IntegrationEntry(
        name="webhooks", category="webhooks",
        env_vars=(EnvVar(name="WEBHOOK_SIGNING_SECRET", help="HMAC-SHA256 key for outgoing webhooks"),),
        python_dependencies=(),
        setup_steps=("Subscribers verify the X-Signature header with the shared secret.",),
    ),
    IntegrationEntry(
        name="smtp", category="email",
        env_vars=(EnvVar(name="SMTP_URL", help="smtp://user:pass@host:587"),),
        python_dependencies=("aiosmtplib>=3",),
        setup_steps=("Point SMTP_URL at your mail provider's submission port.",),
    ),
    IntegrationEntry(
        name="s3", category="storage",
        env_vars=(EnvVar(name="S3_BUCKET", help="bucket name", secret=False),
                  EnvVar(name="AWS_ACCESS_KEY_ID", help="IAM key with access to the bucket"),
                  EnvVar(name="AWS_SECRET_ACCESS_KEY", help="its secret")),
        python_dependencies=("boto3>=1.35",),
        setup_steps=("Create the bucket and an IAM user limited to it.",),
    ),
)
