"""Copy-only task: let the agents fill action slots and write docs/GUIDE.md with the configured LLM.

Thin on purpose: the work is in ``backend_squad.enrich``. Usage (from copier.yml):
``python hooks/ai_enrich.py <template root> <provider> <model> <base url>``, run in the new project.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def main(argv: list[str]) -> int:
    template_root, provider, model, base_url = argv[1:5]
    sys.path.insert(0, template_root)
    from backend_squad.context import build_context
    from backend_squad.llm import LLMSettings

    try:
        from backend_squad.enrich import enrich
    except ImportError as error:  # httpx missing next to Copier: the offline project is complete
        print(f"[ai] skipped: {error}; install httpx next to Copier to let the agents write slots and the guide",
              file=sys.stderr)
        return 0

    project = Path.cwd()
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    settings = LLMSettings.from_env(provider=provider, model=model or None, base_url=base_url or None)
    enrich(project, build_context(answers), settings)
    return 0  # AI problems never fail the copy: the offline project is complete


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
