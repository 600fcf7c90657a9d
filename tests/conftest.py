"""Shared fixtures: the template root and helpers to render and run generated projects."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TEMPLATE = Path(__file__).resolve().parent.parent
PRESETS = ["blog", "saas", "ecommerce", "api_gateway", "webhook_relay", "custom"]


def render(destination: Path, **answers: object) -> subprocess.CompletedProcess[str]:
    """Run the real copier CLI, as a user would."""
    command = [sys.executable, "-m", "copier", "copy", "--trust", "--defaults", "--quiet"]
    for key, value in answers.items():
        command += ["-d", f"{key}={value}"]
    command += [str(TEMPLATE), str(destination)]
    env = os.environ | {"BACKEND_SQUAD_OFFLINE": "1"}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def template_dir() -> Path:
    return TEMPLATE
