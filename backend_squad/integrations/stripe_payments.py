"""Stripe payments: Checkout, subscriptions, the customer portal and signed, idempotent, order-safe webhooks
(each a ``stripe_features`` choice).

Named ``stripe_payments`` (not ``stripe``) so nothing here can ever shadow the Stripe SDK.
"""

from __future__ import annotations

import ast

from pydantic import BaseModel, ConfigDict

from backend_squad.design import ResourceDesign
from backend_squad.integrations.catalog import EnvVar, IntegrationEntry, NextjsSupport
from backend_squad.integrations.packages import NEXTJS_STAND_IN_SERVER

# Dashboard steps, the same for both stacks.
CATALOG_STEP = ("In the Stripe Dashboard (test mode first), create a product and its prices under Product catalog; "
                "clients send a price id (`price_...`) to `POST <API prefix>/payments/checkout-session`.")
KEY_STEP = ("Developers > API keys: put the secret key (or a restricted key with write access to Checkout Sessions, "
            "Customers and Customer portal) in `STRIPE_SECRET_KEY`.")
PLANS_STEP = ("Subscriptions: create a recurring price per plan and list them in `STRIPE_PLANS` (`pro=price_...,team=price_...`); "
              "`GET <API prefix>/payments/plans` shows them and `GET <API prefix>/payments/subscription` the caller's status. ")
PORTAL_STEP = "Settings > Billing > Customer portal: activate the portal (`POST <API prefix>/payments/customer-portal` needs it)."
WEBHOOK_STEP = ("Developers > Webhooks > Add endpoint: URL `https://<your host><API prefix>/payments/webhook`, with the events "
                "listed below; copy its signing secret into `STRIPE_WEBHOOK_SECRET`.")
LISTEN_STEP = ("Local development: `stripe listen --forward-to http://127.0.0.1:{port}<API prefix>/payments/webhook` forwards "
               "test events to `make dev` and prints a `whsec_...` secret for `STRIPE_WEBHOOK_SECRET`; `stripe trigger "
               "checkout.session.completed` sends one.")
FEATURES_STEP = ("Each part is a `stripe_features` answer (checkout, subscriptions, webhooks, customer_portal); steps about a "
                 "part you did not choose do not apply.")

ENTRY = IntegrationEntry(
    name="stripe",
    title="Stripe payments",
    category="payments",
    available=True,
    module="payments",
    router=True,
    models=True,
    env_vars=(
        EnvVar(name="STRIPE_SECRET_KEY", help="Dashboard > Developers > API keys: the secret or restricted key (sk_test_... / rk_test_...); empty: payment routes answer 503"),
        EnvVar(name="STRIPE_WEBHOOK_SECRET", help="Dashboard > Developers > Webhooks > your endpoint > signing secret, whsec_... (or the one `stripe listen` prints)"),
        EnvVar(name="STRIPE_WEBHOOK_TOLERANCE", help="Seconds a webhook signature stays valid; older deliveries are refused as "
               "replays (Stripe's libraries default to 300)", example="300", secret=False),
        EnvVar(name="STRIPE_API_BASE", help="Optional: another API address (a local stand-in such as localstripe); empty means api.stripe.com",
               secret=False),
        EnvVar(name="STRIPE_SUCCESS_URL", help="Where Checkout sends the customer after paying ({CHECKOUT_SESSION_ID} is filled in by Stripe)",
               example="http://localhost:3000/billing/success?session_id={CHECKOUT_SESSION_ID}", secret=False),
        EnvVar(name="STRIPE_CANCEL_URL", help="Where Checkout sends the customer who gives up", example="http://localhost:3000/billing/cancel",
               secret=False),
        EnvVar(name="STRIPE_PORTAL_RETURN_URL", help="Where the customer portal's 'return' link goes", example="http://localhost:3000/billing",
               secret=False),
        EnvVar(name="STRIPE_PLANS", help="The prices on offer as name=price_id pairs, e.g. pro=price_123,team=price_456 "
               "(listed by GET /payments/plans; checkout accepts only these); empty: any price of the account", secret=False),
    ),
    files=(
        "app/integrations/payments/__init__.py",
        "app/integrations/payments/client.py",
        "app/integrations/payments/models.py",
        "app/integrations/payments/router.py",
        "app/integrations/payments/settings.py",
        "app/integrations/payments/subscriptions.py",
        "app/integrations/payments/webhooks.py",
        "migrations/versions/0003_payments.py",
        "tests/integrations/test_payments.py",
    ),
    python_dependencies=("stripe>=12",),  # 12+: the StripeClient.v1 namespace the generated code uses
    dev_dependencies=("localstripe>=1.15",),
    webhook_events=(
        "checkout.session.completed",
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "invoice.payment_failed",
    ),
    setup_steps=(
        CATALOG_STEP,
        KEY_STEP,
        PLANS_STEP + "Gate paid-only routes with `principal: Subscriber` from `app.integrations.payments.subscriptions` "
        "(402 without an active or trialing subscription).",
        PORTAL_STEP,
        WEBHOOK_STEP,
        LISTEN_STEP.format(port=8000),
        "Then `make migrate`: the tables `stripe_customers`, `stripe_subscriptions` (with subscriptions) and "
        "`stripe_events` (with webhooks: the ledger that makes a redelivered event a no-op) come from migration "
        "`0003_payments`.",
        FEATURES_STEP,
    ),
    nextjs=NextjsSupport(
        dependencies={"stripe": "23.1.0"},
        files=("src/lib/payments/settings.ts", "tests/payments.test.ts", "tests/stripe-stand-in.ts", NEXTJS_STAND_IN_SERVER),
        setup_steps=(
            CATALOG_STEP,
            KEY_STEP,
            PLANS_STEP + "Gate paid-only routes with `await requireSubscription(principal, request)` from "
            "`@/lib/payments/subscriptions` (a 402 response without an active or trialing subscription).",
            PORTAL_STEP,
            WEBHOOK_STEP,
            LISTEN_STEP.format(port=3000),
            "The tables `stripe_customers`, `stripe_subscriptions` (with subscriptions) and `stripe_events` (with "
            "webhooks: the ledger that makes a redelivered event a no-op) are in `src/db/schema.ts`, so `make install` "
            "writes them into the first migration; a project that adds Stripe later runs `make migration name=payments` "
            "and `make migrate`.",
            FEATURES_STEP,
        ),
    ),
)


class PayableDesign(BaseModel):
    """A model Checkout can pay for: an owned resource whose ``status`` enum has a "paid" value (an Order)."""

    model_config = ConfigDict(frozen=True)

    name: str  # "Order"
    module: str  # "order"
    table: str  # "orders"
    unpaid: str  # the status a new row starts with, e.g. "pending": only such rows can be paid
    paid: str = "paid"
    later: str | None = None  # a status after payment (e.g. "shipped") that a late payment event must not undo
    soft_delete: bool = False

    @property
    def id_field(self) -> str:
        return f"{self.module}_id"


def payable_resource(resources: tuple[ResourceDesign, ...]) -> PayableDesign | None:
    """The first owned resource with a ``status`` enum holding "paid" and a default that is not "paid"."""
    for resource in resources:
        if not resource.owned:
            continue
        for column in resource.columns:
            if column.name != "status" or column.enum is None or not column.model_default:
                continue
            values = [value for _, value in column.enum.members]
            unpaid = ast.literal_eval(column.model_default.removeprefix("lambda: "))
            if "paid" in values and unpaid != "paid":
                later = next((value for value in values if value not in (unpaid, "paid")), None)
                return PayableDesign(name=resource.name, module=resource.module, table=resource.table, unpaid=unpaid,
                                     later=later, soft_delete=resource.soft_delete)
    return None


def paid_for(features: tuple[str, ...] | None, resources: tuple[ResourceDesign, ...]) -> PayableDesign | None:
    """The model a Stripe Checkout pays for: only with Stripe's checkout and webhooks (which marks it paid);
    ``features`` is None without Stripe."""
    if features is None or "checkout" not in features or "webhooks" not in features:
        return None
    return payable_resource(resources)
