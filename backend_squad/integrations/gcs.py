"""Google Cloud Storage through the official SDKs (Python and Node), with V4 signed URLs from a service-account key."""

from __future__ import annotations

from backend_squad.integrations.catalog import EnvVar, IntegrationEntry, NextjsSupport
from backend_squad.integrations.packages import NEXTJS_STAND_IN_SERVER, NEXTJS_STORAGE_FILES, STORAGE_FILES
from backend_squad.integrations.s3 import CHOOSE_PROVIDER

# Console and IAM steps, the same for both stacks.
PROVIDER_STEPS = (
    "Google Cloud console > Cloud Storage > Buckets > Create: keep 'Enforce public access prevention' and "
    "uniform bucket-level access on; set GCS_BUCKET to its name.",
    "IAM & Admin > Service accounts > Create service account; on the bucket (Permissions > Grant access) give it "
    "the role 'Storage Object User' (objects only, this bucket only).",
    "Service account > Keys > Add key > Create new key > JSON: put the file's content (or its path) in "
    "GCS_CREDENTIALS_JSON. Signed URLs are signed locally with this key; keep it out of version control.",
    "Browsers uploading with the signed PUT URL need a CORS configuration on the bucket, e.g. "
    "`gcloud storage buckets update gs://<bucket> --cors-file=cors.json` with origin your front end, "
    "methods PUT and GET and responseHeader Content-Type.",
    CHOOSE_PROVIDER.format(name="gcs"),
)

ENTRY = IntegrationEntry(
    name="gcs",
    title="Object storage (Google Cloud Storage)",
    category="storage",
    available=True,
    module="storage",
    router=True,
    env_vars=(
        EnvVar(name="GCS_BUCKET", help="bucket the app stores files in", secret=False),
        EnvVar(
            name="GCS_CREDENTIALS_JSON",
            help="service-account key: the JSON itself (one line) or the path of the key file; "
            "empty: GOOGLE_APPLICATION_CREDENTIALS (signed URLs need a key either way)",
        ),
        EnvVar(name="GCS_PRESIGN_SECONDS", help="lifetime of signed upload/download URLs (at most 7 days)",
               example="900", secret=False),
        EnvVar(name="GCS_MAX_UPLOAD_BYTES", help="largest file POST /files accepts (bigger: signed upload)",
               example="10485760", secret=False),
    ),
    python_dependencies=("google-cloud-storage>=2.16",),
    dev_dependencies=("gcp-storage-emulator>=2024.8", "cryptography>=42"),
    files=(*STORAGE_FILES, "app/integrations/storage/gcs.py", "tests/integrations/test_storage_gcs.py"),
    setup_steps=PROVIDER_STEPS,
    nextjs=NextjsSupport(
        # 7.x: the 8.x releases need Node 22, and the generated project runs on Node 20.
        dependencies={"@google-cloud/storage": "7.22.0"},
        files=(*NEXTJS_STORAGE_FILES, "src/lib/storage/gcs.ts", "tests/gcs-stand-in.ts", NEXTJS_STAND_IN_SERVER),
        setup_steps=PROVIDER_STEPS,
    ),
)
