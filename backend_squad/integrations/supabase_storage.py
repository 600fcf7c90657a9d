"""Supabase Storage over its REST API with the project's service role key (httpx on FastAPI, fetch on Next.js)."""

from __future__ import annotations

from backend_squad.integrations.catalog import EnvVar, IntegrationEntry, NextjsSupport
from backend_squad.integrations.packages import NEXTJS_STAND_IN_SERVER, NEXTJS_STORAGE_FILES, STORAGE_FILES
from backend_squad.integrations.s3 import CHOOSE_PROVIDER

# Dashboard steps, the same for both stacks.
PROVIDER_STEPS = (
    "Supabase dashboard > Storage > New bucket: keep 'Public bucket' off; set SUPABASE_STORAGE_BUCKET to its "
    "name. Raise the bucket's file size limit if you allow large signed uploads.",
    "Project Settings > API (or API Keys): copy the project URL into SUPABASE_URL and the service_role / secret "
    "key into SUPABASE_SERVICE_ROLE_KEY. It bypasses row-level security: never ship it to a browser or app.",
    "Signed upload URLs carry their own token and are valid for 2 hours; the browser PUTs the file to them with "
    "its Content-Type. Supabase Storage answers cross-origin requests itself, so no CORS setting is needed.",
    CHOOSE_PROVIDER.format(name="supabase_storage"),
)

ENTRY = IntegrationEntry(
    name="supabase_storage",
    title="Object storage (Supabase Storage)",
    category="storage",
    available=True,
    module="storage",
    router=True,
    env_vars=(
        EnvVar(name="SUPABASE_URL", help="project URL, https://<project ref>.supabase.co", secret=False),
        EnvVar(name="SUPABASE_SERVICE_ROLE_KEY", help="service role (secret) key: server-side only, it bypasses RLS"),
        EnvVar(name="SUPABASE_STORAGE_BUCKET", help="private bucket the app stores files in", secret=False),
        EnvVar(name="SUPABASE_STORAGE_PRESIGN_SECONDS", help="lifetime of signed download URLs (upload URLs: 2 hours)",
               example="900", secret=False),
        EnvVar(name="SUPABASE_STORAGE_MAX_UPLOAD_BYTES", help="largest file POST /files accepts (bigger: signed upload)",
               example="10485760", secret=False),
    ),
    python_dependencies=("httpx>=0.27",),
    files=(*STORAGE_FILES, "app/integrations/storage/supabase.py", "tests/integrations/test_storage_supabase.py"),
    setup_steps=PROVIDER_STEPS,
    nextjs=NextjsSupport(
        dependencies={},  # fetch is built in; the tests run against a local stand-in of the Storage API
        files=(*NEXTJS_STORAGE_FILES, "src/lib/storage/supabase.ts", "tests/supabase-stand-in.ts",
               NEXTJS_STAND_IN_SERVER),
        setup_steps=PROVIDER_STEPS,
    ),
)
