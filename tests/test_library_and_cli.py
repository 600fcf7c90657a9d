"""The agents as a library and through ``python -m backend_squad``, offline and with a scripted LLM."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import yaml

from backend_squad import APIArchitect
from tests.llm_fake_server import FakeLLMServer, answer
from tests.test_ai_hook import KEY, PROPOSAL


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backend_squad", *args], capture_output=True, text=True,
                          timeout=60, env=env)


def test_cli_lists_agents_and_runs_one_on_a_task_file(tmp_path):
    listed = json.loads(_cli("list").stdout)
    assert {agent["name"] for agent in listed} == {"api_architect", "backend_developer", "integration_specialist"}
    task = tmp_path / "task.yaml"
    task.write_text(yaml.safe_dump({"models": [{"name": "Note", "fields": [{"name": "text", "type": "text"}]}]}))
    result = _cli("run", "api_architect", str(task))
    assert result.returncode == 0, result.stderr
    output = json.loads(result.stdout)
    assert {"api_spec", "schemas", "endpoints", "documentation"} <= set(output)
    assert "/api/v1/notes" in output["api_spec"]["paths"]
    developer = json.loads(_cli("run", "backend_developer", str(task)).stdout)
    assert {"files", "dependencies", "setup_instructions"} <= set(developer)


def test_cli_reports_bad_tasks_plainly(tmp_path):
    task = tmp_path / "task.yaml"
    task.write_text("models: [{name: note, fields: [{name: text, type: text}]}]")
    result = _cli("run", "api_architect", str(task))
    assert result.returncode == 2 and "PascalCase" in result.stderr and "Traceback" not in result.stderr
    assert "unknown agent" in _cli("run", "nobody", str(task)).stderr


def test_library_agent_with_a_key_drafts_models_from_a_description(tmp_path, monkeypatch):
    monkeypatch.delenv("BACKEND_SQUAD_OFFLINE", raising=False)
    monkeypatch.setenv("BACKEND_SQUAD_CACHE_DIR", str(tmp_path / "cache"))
    with FakeLLMServer([answer(PROPOSAL)]) as server:
        agent = APIArchitect(api_key=KEY, base_url=server.url, model="test-model", progress=None)
        assert KEY not in repr(agent)
        result = asyncio.run(agent.execute({"description": "Share recipes and their ingredients"}))
        assert server.requests[0].headers["Authorization"] == f"Bearer {KEY}"
    assert result["models"] == ["Recipe", "Ingredient"] and result["warnings"] == []
    assert any(path.endswith("/recipes") for path in result["api_spec"]["paths"])


def test_offline_switch_wins_over_a_key_in_code(tmp_path, monkeypatch):
    monkeypatch.setenv("BACKEND_SQUAD_OFFLINE", "1")
    with FakeLLMServer() as server:
        agent = APIArchitect(api_key=KEY, base_url=server.url)
        result = asyncio.run(agent.execute({"description": "Recipes", "preset": "blog"}))
        assert server.requests == []
    assert result["models"] == ["Post", "Comment", "Tag"]
    assert "offline" in result["warnings"][0]


def test_cli_with_a_key_from_the_environment(tmp_path):
    task = tmp_path / "task.yaml"
    task.write_text("description: Share recipes and their ingredients\n")
    env = {k: v for k, v in os.environ.items() if k != "BACKEND_SQUAD_OFFLINE"}
    env |= {"MY_KEY": KEY, "BACKEND_SQUAD_CACHE_DIR": str(tmp_path / "cache")}
    with FakeLLMServer([answer(PROPOSAL)]) as server:
        result = _cli("run", "api_architect", str(task), "--key-env", "MY_KEY", "--base-url", server.url, env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["models"] == ["Recipe", "Ingredient"]
    assert KEY not in result.stdout + result.stderr
