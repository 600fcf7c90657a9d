"""SMS (Twilio, Vonage) and chat notifications (Slack, Discord, Telegram) behind one notify package: catalog entries
and rendered files (fast), and a project with all five and background jobs installing, linting and passing its own
tests, where respx stands in for every provider's API (slow)."""

from __future__ import annotations

import os
import py_compile
from pathlib import Path

import pytest

from backend_squad.integrations import AVAILABLE, CATALOG
from tests.conftest import fresh_database, installed_and_linted, passing_tests, render, run_in

PROVIDERS = {  # name: (category, module under app/integrations/notify, the settings only it has)
    "twilio": ("sms", "twilio.py", {"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET",
                                    "TWILIO_FROM", "TWILIO_MESSAGING_SERVICE_SID"}),
    "vonage": ("sms", "vonage.py", {"VONAGE_API_KEY", "VONAGE_API_SECRET", "VONAGE_FROM"}),
    "slack": ("chat", "slack.py", {"SLACK_WEBHOOK_URL", "SLACK_BOT_TOKEN", "SLACK_CHANNEL"}),
    "discord": ("chat", "discord.py", {"DISCORD_WEBHOOK_URL"}),
    "telegram": ("chat", "telegram.py", {"TELEGRAM_BOT_TOKEN", "TELEGRAM_CHAT_ID"}),
}
SHARED = {"__init__.py", "__main__.py", "base.py", "settings.py", "transport.py"}
TITLES = {"twilio": "SMS (Twilio)", "vonage": "SMS (Vonage)", "slack": "Chat notifications (Slack)",
          "discord": "Chat notifications (Discord)", "telegram": "Chat notifications (Telegram)"}


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> Path:
    destination = tmp_path_factory.mktemp("notify") / "project"
    result = render(destination, preset="blog", background_jobs="true",
                    integrations="[twilio, vonage, slack, discord, telegram]")
    assert result.returncode == 0, result.stderr
    return destination


@pytest.mark.parametrize("name", sorted(PROVIDERS))
def test_each_provider_is_a_notify_entry_with_settings_and_steps(name: str):
    entry = CATALOG[name]
    category, module, settings = PROVIDERS[name]
    assert name in AVAILABLE and entry.available and entry.tasks and not entry.router and not entry.models
    assert entry.category == category and entry.python_module == "notify" and entry.title == TITLES[name]
    assert {var.name for var in entry.env_vars} == settings
    assert all(var.help for var in entry.env_vars) and len(entry.setup_steps) >= 3
    assert entry.python_dependencies == ("httpx>=0.28",) and entry.dev_dependencies == ("respx>=0.22",)
    assert f"app/integrations/notify/{module}" in entry.files and "tests/integrations/test_notify.py" in entry.files
    assert ("app/integrations/notify/phone.py" in entry.files) == (category == "sms")
    # Secrets are never given an example value; identifiers may be.
    for var in entry.env_vars:
        if var.secret:
            assert var.example == "", var.name


def test_setup_steps_cover_consoles_trial_limits_and_chat_ids():
    steps = {name: " ".join(CATALOG[name].setup_steps) for name in PROVIDERS}
    assert "Verified Caller IDs" in steps["twilio"] and "API key" in steps["twilio"] and "A2P 10DLC" in steps["twilio"]
    assert "Messages API" in steps["vonage"] and "test numbers" in steps["vonage"].lower()
    assert "Incoming Webhooks" in steps["slack"] and "chat:write" in steps["slack"] and "/invite" in steps["slack"]
    assert "Copy Webhook URL" in steps["discord"] and "allowed_mentions" in steps["discord"]
    assert "@BotFather" in steps["telegram"] and "getUpdates" in steps["telegram"] and "message.chat.id" in steps["telegram"]
    for name in ("twilio", "vonage"):
        assert "E.164" in steps[name] and "send_sms_task" in steps[name] and f"SMS_PROVIDER={name}" in steps[name]
    for name in ("slack", "discord", "telegram"):
        assert "await notify(" in steps[name] and "python -m app.integrations.notify chat" in steps[name]


@pytest.mark.parametrize(
    ("chosen", "background_jobs"),
    [(("twilio",), False), (("telegram",), True), (("vonage", "discord"), True), (("slack",), False)],
)
def test_only_the_chosen_providers_are_rendered(tmp_path: Path, chosen: tuple[str, ...], background_jobs: bool):
    project = tmp_path / "p"
    result = render(project, preset="blog", background_jobs=str(background_jobs).lower(),
                    integrations=f"[{', '.join(chosen)}]")
    assert result.returncode == 0, result.stderr
    package = project / "app" / "integrations" / "notify"
    sms = any(PROVIDERS[name][0] == "sms" for name in chosen)
    chat = any(PROVIDERS[name][0] == "chat" for name in chosen)
    expected = SHARED | {PROVIDERS[name][1] for name in chosen} | ({"phone.py"} if sms else set())
    expected |= {"tasks.py"} if background_jobs else set()
    assert {path.name for path in package.glob("*.py")} == expected
    assert (project / "tests" / "integrations" / "test_notify.py").is_file()
    settings = (package / "settings.py").read_text()
    env_example = (project / ".env.example").read_text()
    for name, (_, _, variables) in PROVIDERS.items():
        for variable in variables:
            assert (f"{variable}: str" in settings) == (name in chosen), variable
            assert (f"\n{variable}=" in env_example) == (name in chosen), variable
    assert ("SMS_PROVIDER" in settings) == sms
    assert '"httpx>=0.28"' in (project / "pyproject.toml").read_text()
    worker = project / "app" / "worker.py"
    assert worker.is_file() == background_jobs
    if background_jobs:
        assert '"app.integrations.notify.tasks"' in worker.read_text()
        tasks = (package / "tasks.py").read_text()
        assert ("def send_sms_task" in tasks) == sms and ("def notify_task" in tasks) == chat


def test_all_five_render_one_package(everything: Path):
    package = everything / "app" / "integrations" / "notify"
    for path in [*package.glob("*.py"), everything / "tests" / "integrations" / "test_notify.py"]:
        py_compile.compile(str(path), doraise=True)
    assert {path.name for path in package.glob("*.py")} == (
        SHARED | {"phone.py", "tasks.py"} | {module for _, module, _ in PROVIDERS.values()}
    )
    init = (package / "__init__.py").read_text()
    assert '"twilio": TwilioSmsSender.from_settings' in init and '"vonage": VonageSmsSender.from_settings' in init
    for name, cls in (("slack", "SlackNotifier"), ("discord", "DiscordNotifier"), ("telegram", "TelegramNotifier")):
        assert f'"{name}": {cls}.from_settings' in init
    assert 'SMS_PROVIDERS: tuple[str, ...] = ("twilio", "vonage")' in (package / "settings.py").read_text()
    tasks = (package / "tasks.py").read_text()
    assert 'name="app.integrations.notify.tasks.send_sms"' in tasks and 'name="app.integrations.notify.tasks.notify"' in tasks
    assert "from app.worker import celery_app" in tasks
    assert "api_router" not in init and "notify" not in (everything / "app" / "api" / "router.py").read_text()
    pyproject = (everything / "pyproject.toml").read_text()
    runtime, dev = pyproject.split("[project.optional-dependencies]", 1)
    assert runtime.count('"httpx>=0.28"') == 1 and '"respx>=0.22"' in dev


def test_env_example_and_setup_sections(everything: Path):
    env_example = (everything / ".env.example").read_text()
    assert "\nSMS_PROVIDER=twilio\n" in env_example  # the selector, listed once under "Providers"
    for _, _, variables in PROVIDERS.values():
        for variable in variables:
            assert env_example.count(f"\n{variable}=") == 1, variable
    # Credentials are empty: a fresh project must not try to send anything.
    for secret in ("TWILIO_AUTH_TOKEN", "VONAGE_API_SECRET", "SLACK_WEBHOOK_URL", "DISCORD_WEBHOOK_URL", "TELEGRAM_BOT_TOKEN"):
        assert f"\n{secret}=\n" in env_example
        assert f"\n{secret}=\n" in (everything / ".env").read_text()
    setup = (everything / "docs" / "SETUP.md").read_text()
    for name, title in TITLES.items():
        section = setup.split(f". {title}\n", 1)[1].split("\n## ", 1)[0]
        for variable in PROVIDERS[name][2]:
            assert f"| `{variable}` |" in section, variable
        assert "1. " in section and "3. " in section
    assert "`SMS_PROVIDER`" in setup


@pytest.mark.slow
def test_project_with_every_notifier_installs_lints_and_passes_its_tests(everything: Path):
    passing_tests(installed_and_linted(everything))
    run_in(everything, ".venv/bin/ruff", "format", "--check", "app/integrations/notify", "tests/integrations/test_notify.py")
    notify = run_in(everything, ".venv/bin/python", "-m", "pytest", "tests/integrations/test_notify.py", "-o", "addopts=",
                    "-q", "-p", "no:warnings")
    assert "passed" in notify and "skipped" not in notify and "failed" not in notify, notify
    server_url = os.environ.get("TEST_POSTGRES_URL")
    if server_url:
        passing_tests(everything, env={"DATABASE_URL": fresh_database(server_url)})
