"""Amazon S3 (or any S3-compatible service such as MinIO): per-user files behind presigned URLs."""

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
    "Create a private bucket (S3 console > Create bucket, keep 'Block all public access' on) and set "
    "S3_BUCKET and S3_REGION; leave S3_ENDPOINT_URL empty (set it only for MinIO or another S3-compatible "
    "service).",
    "Create an IAM user with a policy allowing s3:GetObject, s3:PutObject and s3:DeleteObject on "
    "arn:aws:s3:::<bucket>/users/*; put its access key in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY "
    "(on AWS compute with an IAM role, leave both empty).",
    "Browsers uploading with the presigned PUT URL need a CORS rule on the bucket (bucket > Permissions > "
    "CORS) allowing PUT and GET from your front-end origin with the Content-Type header.",
    CHOOSE_PROVIDER.format(name="s3"),
    "Check it: POST <API prefix>/files/presign-upload with a bearer token, PUT the file to the returned url with the "
    "same Content-Type, then GET <API prefix>/files/<key>/download-url.",
)

ENTRY = IntegrationEntry(
    name="s3",
    title="Object storage (Amazon S3)",
    category="storage",
    available=True,
    module="storage",
    router=True,
    env_vars=(
        EnvVar(name="S3_BUCKET", help="bucket the app stores files in", example="", secret=False),
        EnvVar(name="S3_REGION", help="the bucket's region, e.g. eu-west-1", example="us-east-1", secret=False),
        EnvVar(
            name="S3_ENDPOINT_URL",
            help="empty for AWS; the service's URL for S3-compatible ones (MinIO: http://localhost:9000)",
            example="",
            secret=False,
        ),
        EnvVar(name="AWS_ACCESS_KEY_ID", help="access key limited to the bucket (empty: the IAM role / ~/.aws)"),
        EnvVar(name="AWS_SECRET_ACCESS_KEY", help="its secret"),
        EnvVar(name="S3_PRESIGN_SECONDS", help="lifetime of presigned upload/download URLs", example="900", secret=False),
        EnvVar(name="S3_MAX_UPLOAD_BYTES", help="largest file POST /files accepts (bigger: presigned upload)",
               example="10485760", secret=False),
    ),
    python_dependencies=("boto3>=1.36",),  # 1.36: the request_checksum_calculation option
    dev_dependencies=("moto[server]>=5",),
    files=(*STORAGE_FILES, "app/integrations/storage/s3.py", "tests/integrations/test_storage_s3.py"),
    setup_steps=PROVIDER_STEPS,
    nextjs=NextjsSupport(dependencies=NEXTJS_S3_PACKAGES, dev_dependencies=NEXTJS_S3_STAND_IN,
                         files=(*NEXTJS_STORAGE_FILES, "src/lib/storage/s3.ts"), setup_steps=PROVIDER_STEPS),
)
