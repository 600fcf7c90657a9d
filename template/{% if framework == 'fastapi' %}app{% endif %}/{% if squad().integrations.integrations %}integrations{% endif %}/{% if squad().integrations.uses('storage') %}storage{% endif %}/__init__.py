"""File storage: one ``ObjectStorage`` interface, one module per provider, STORAGE_PROVIDER picks the one in use.

Use it anywhere in the app::

    from app.integrations.storage import get_storage
    await get_storage().upload("reports/2024.csv", data, "text/csv")

The ``/files`` routes (``router``) give each user their own files behind signed URLs.
"""

from app.integrations.storage.base import ObjectStorage, SignedUrl, StorageNotConfigured, new_key
from app.integrations.storage.providers import get_storage
from app.integrations.storage.router import require_storage, router
from app.integrations.storage.settings import StorageSettings

__all__ = [
    "ObjectStorage",
    "SignedUrl",
    "StorageNotConfigured",
    "StorageSettings",
    "get_storage",
    "new_key",
    "require_storage",
    "router",
]
