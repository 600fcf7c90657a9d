"""What an integration is, as data: its settings, dependencies, files, routes and setup steps.

Adding an integration touches one place: a module beside this one defining ``ENTRY``, its
templates under ``template/app/integrations/`` and its tests under ``template/tests/integrations/``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class EnvVar(BaseModel):
    """A setting the integration reads from the environment (documented in .env.example and SETUP.md)."""

    model_config = ConfigDict(frozen=True)

    name: str
    help: str
    example: str = ""
    secret: bool = True


class NextjsSupport(BaseModel):
    """How the Next.js output renders an integration: its npm packages (exact versions), files and setup steps."""

    model_config = ConfigDict(frozen=True)

    dependencies: dict[str, str]
    dev_dependencies: dict[str, str] = {}  # local stand-ins the generated tests use (smtp-server...)
    files: tuple[str, ...]
    setup_steps: tuple[str, ...]


class IntegrationEntry(BaseModel):
    """One third-party service (or one built-in capability such as webhooks)."""

    model_config = ConfigDict(frozen=True)

    name: str
    title: str = ""
    category: str
    env_vars: tuple[EnvVar, ...]
    python_dependencies: tuple[str, ...]
    dev_dependencies: tuple[str, ...] = ()  # local stand-ins the generated tests use (moto, aiosmtpd...)
    files: tuple[str, ...] = ()
    setup_steps: tuple[str, ...]
    webhook_events: tuple[str, ...] = ()
    router: bool = False  # app/integrations/<module>.py exposes ``router``, included under the API prefix
    models: bool = False  # app/integrations/<module>/models.py defines tables (with a migration of its own)
    module: str = ""  # the Python module under app.integrations (default: the name); providers of one kind share it
    tasks: bool = False  # app/integrations/<module>/tasks.py defines Celery tasks (rendered when background jobs are on)
    available: bool = False  # rendered by the template (False: described for the agents' API only)
    nextjs: NextjsSupport | None = None  # None: rendered for FastAPI only

    @property
    def python_module(self) -> str:
        return self.module or self.name


# A kind of service with several providers to choose from: the setting that picks one when more than one is chosen.
PROVIDER_SELECTORS: dict[str, str] = {"email": "EMAIL_PROVIDER", "storage": "STORAGE_PROVIDER", "sms": "SMS_PROVIDER"}
