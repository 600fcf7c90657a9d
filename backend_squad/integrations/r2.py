"""Cloudflare R2: the S3 API at the account's endpoint, through the same boto3 backend as S3."""

from __future__ import annotations

from backend_squad.integrations.catalog import EnvVar, IntegrationEntry, NextjsSupport
from backend_squad.integrations.packages import (
    CHOOSE_PROVIDER,
    NEXTJS_S3_PACKAGES,
    NEXTJS_S3_STAND_IN,
    NEXTJS_STORAGE_FILES,
    STORAGE_FILES,
)

# The same for both stacks: they serve the same /files routes.
PROVIDER_STEPS = (
    "Cloudflare dashboard > R2 Object Storage > Create bucket; set R2_BUCKET to its name and R2_ACCOUNT_ID to "
    "your account id (shown on the R2 overview page).",
    "R2 > Manage API tokens > Create API token: permission 'Object Read & Write', applied to that bucket only; "
    "copy the Access Key ID and Secret Access Key (shown once) into R2_ACCESS_KEY_ID / R2_SECRET_ACCESS_KEY.",
    "Browsers uploading with the presigned PUT URL need a CORS policy on the bucket (bucket > Settings > CORS "
    "policy) allowing PUT and GET from your front-end origin with the Content-Type header.",
    "Buckets created with a jurisdiction (EU, FedRAMP) have their own endpoint: put it in R2_ENDPOINT_URL.",
    CHOOSE_PROVIDER.format(name="r2"),
)

ENTRY = IntegrationEntry(
    name="r2",
    title="Object storage (Cloudflare R2)",
    category="storage",
    available=True,
    module="storage",
    router=True,
    env_vars=(
        EnvVar(name="R2_ACCOUNT_ID", help="Cloudflare account id (R2 overview page, right-hand column)", secret=False),
        EnvVar(name="R2_BUCKET", help="bucket the app stores files in", secret=False),
        EnvVar(name="R2_ACCESS_KEY_ID", help="Access Key ID of an R2 API token limited to the bucket"),
        EnvVar(name="R2_SECRET_ACCESS_KEY", help="its Secret Access Key"),
        EnvVar(
            name="R2_ENDPOINT_URL",
            help="empty: https://<account id>.r2.cloudflarestorage.com; set for a jurisdiction endpoint "
            "(https://<account id>.eu.r2.cloudflarestorage.com) or a local S3 stand-in",
            secret=False,
        ),
        EnvVar(name="R2_PRESIGN_SECONDS", help="lifetime of presigned upload/download URLs", example="900", secret=False),
        EnvVar(name="R2_MAX_UPLOAD_BYTES", help="largest file POST /files accepts (bigger: presigned upload)",
               example="10485760", secret=False),
    ),
    python_dependencies=("boto3>=1.36",),
    dev_dependencies=("moto[server]>=5",),
    files=(*STORAGE_FILES, "app/integrations/storage/s3.py", "tests/integrations/test_storage_r2.py"),
    setup_steps=PROVIDER_STEPS,
    nextjs=NextjsSupport(dependencies=NEXTJS_S3_PACKAGES, dev_dependencies=NEXTJS_S3_STAND_IN,
                         files=(*NEXTJS_STORAGE_FILES, "src/lib/storage/s3.ts"), setup_steps=PROVIDER_STEPS),
)
