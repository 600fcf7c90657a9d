"""S3-compatible object storage (AWS S3, Cloudflare R2, MinIO): per-user files behind presigned URLs."""

from __future__ import annotations

from backend_squad.integrations.catalog import EnvVar, IntegrationEntry

ENTRY = IntegrationEntry(
    name="s3",
    title="Object storage (S3 / R2)",
    category="storage",
    available=True,
    module="storage",
    router=True,
    env_vars=(
        EnvVar(name="S3_BUCKET", help="bucket the app stores files in", example="", secret=False),
        EnvVar(name="S3_REGION", help="bucket region (AWS: e.g. eu-west-1; R2: auto)", example="us-east-1", secret=False),
        EnvVar(
            name="S3_ENDPOINT_URL",
            help="empty for AWS; https://<account>.r2.cloudflarestorage.com for R2; http://localhost:9000 for MinIO",
            example="",
            secret=False,
        ),
        EnvVar(name="AWS_ACCESS_KEY_ID", help="access key limited to the bucket (AWS IAM or R2 API token)"),
        EnvVar(name="AWS_SECRET_ACCESS_KEY", help="its secret"),
        EnvVar(name="S3_PRESIGN_SECONDS", help="lifetime of presigned upload/download URLs", example="900", secret=False),
        EnvVar(name="S3_MAX_UPLOAD_BYTES", help="largest file POST /files accepts (bigger: presigned upload)",
               example="10485760", secret=False),
    ),
    python_dependencies=("boto3>=1.36",),  # 1.36: the request_checksum_calculation option
    dev_dependencies=("moto[server]>=5",),
    files=("app/integrations/storage.py", "tests/integrations/test_storage.py"),
    setup_steps=(
        "AWS: create a private bucket (S3 console > Create bucket, keep 'Block all public access' on) and set "
        "S3_BUCKET and S3_REGION; leave S3_ENDPOINT_URL empty.",
        "AWS: create an IAM user with a policy allowing s3:GetObject, s3:PutObject and s3:DeleteObject on "
        "arn:aws:s3:::<bucket>/users/*; put its access key in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.",
        "Cloudflare R2: create a bucket (R2 > Create bucket), then R2 > Manage API tokens > Create API token with "
        "'Object Read & Write' on that bucket; use its Access Key ID and Secret Access Key, S3_REGION=auto and "
        "S3_ENDPOINT_URL=https://<account id>.r2.cloudflarestorage.com.",
        "Browsers uploading with the presigned PUT URL need a CORS rule on the bucket allowing PUT and GET from your "
        "front-end origin with the Content-Type header (S3: bucket > Permissions > CORS; R2: bucket > Settings > CORS).",
        "Check it: POST /files/presign-upload with a bearer token, PUT the file to the returned url with the same "
        "Content-Type, then GET /files/<key>/download-url.",
    ),
)
