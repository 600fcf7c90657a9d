"""Command line: run one agent on a task file and print its result as JSON.

    python -m backend_squad list
    python -m backend_squad run api_architect task.yaml
    python -m backend_squad run api_architect task.yaml --key-env OPENROUTER_API_KEY --model openai/gpt-4o-mini

A task file is YAML or JSON: Copier-style answers (``models``, ``database``...), or a ``description``
for APIArchitect to draft models from when an LLM is configured.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from backend_squad.agents import get_agent, list_agents
from backend_squad.spec import SpecError


def _jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m backend_squad", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="the agents and their roles")
    run = commands.add_parser("run", help="run an agent on a task file")
    run.add_argument("agent", help="api_architect, backend_developer or integration_specialist")
    run.add_argument("task", type=Path, help="YAML or JSON task file")
    run.add_argument("--key-env", help="environment variable holding the API key (the key is never an argument)")
    run.add_argument("--model")
    run.add_argument("--base-url", help="OpenAI-compatible base URL (default: OpenRouter)")
    run.add_argument("--full", action="store_true", help="include the typed plan objects in the output")
    args = parser.parse_args(argv)

    if args.command == "list":
        print(json.dumps(list_agents(), indent=2))
        return 0
    try:
        task = yaml.safe_load(args.task.read_text())
    except (OSError, yaml.YAMLError) as error:
        parser.error(f"cannot read the task file: {error}")
    if not isinstance(task, dict):
        parser.error("the task file must hold a mapping (answers such as models, database, auth_methods)")
    key = os.environ.get(args.key_env) if args.key_env else None
    if args.key_env and not key:
        parser.error(f"{args.key_env} is not set")
    options = {"base_url": args.base_url} if args.base_url else {}
    try:
        agent = get_agent(args.agent, api_key=key, model=args.model, **options)
        result = asyncio.run(agent.execute(task))
    except KeyError as error:
        parser.error(str(error.args[0]))
    except SpecError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not args.full:
        result = {name: value for name, value in result.items() if name not in ("design", "plan")}
    print(json.dumps(_jsonable(result), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
