"""The releases users' projects point at: the tags, CHANGELOG.md and the bundle the update tests render them from."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.conftest import TEMPLATE, release_tags, repository_of_releases


def _tag_commit(repo: Path, tag: str) -> str | None:
    found = subprocess.run(["git", "rev-parse", "-q", "--verify", f"{tag}^{{commit}}"], cwd=repo,
                           capture_output=True, text=True)
    return found.stdout.strip() if found.returncode == 0 else None


def test_every_changelog_release_is_bundled_and_nothing_else():
    released = re.findall(r"^## (\d+\.\d+\.\d+)$", (TEMPLATE / "CHANGELOG.md").read_text(), re.MULTILINE)
    assert sorted(f"v{version}" for version in released) == sorted(release_tags())


def test_bundle_is_complete_and_matches_the_tags_of_this_checkout(tmp_path: Path):
    repo = repository_of_releases(tmp_path / "repo")
    for tag in release_tags():
        bundled = _tag_commit(repo, tag)
        assert bundled, tag
        assert subprocess.run(["git", "cat-file", "-e", f"{bundled}:copier.yml"], cwd=repo).returncode == 0
        local = _tag_commit(TEMPLATE, tag)  # None in a tag-less clone, such as CI's
        assert local in (None, bundled), f"{tag} was moved after it was bundled: run scripts/release again"


def test_release_script_refuses_bad_input_before_tagging():
    for version, message in (("1.0", "is not vMAJOR.MINOR.PATCH"), ("v99.0.0", "has no '## 99.0.0' section")):
        result = subprocess.run([str(TEMPLATE / "scripts/release"), version, "summary"], cwd=TEMPLATE,
                                capture_output=True, text=True)
        assert result.returncode == 2 and message in result.stderr
        assert _tag_commit(TEMPLATE, version) is None
