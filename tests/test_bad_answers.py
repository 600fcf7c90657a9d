"""Bad answers through the real ``copier`` CLI: non-zero exit, a clear message at the end of stderr, nothing written.

Every case starts from a valid set of answers and breaks one thing, so the failure is attributable to that one
thing. The copies run concurrently once per session (each is a separate ``copier`` process), and each test
inspects its own result.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

TEMPLATE = Path(__file__).resolve().parent.parent
TIMEOUT = 120
TAIL_LINES = 3

# --------------------------------------------------------------------------- valid answers every case breaks once

BASE_MODELS: list[dict[str, Any]] = [
    {
        "name": "Post",
        "owned": True,
        "fields": [
            {"name": "title", "type": "string", "max_length": 200},
            {"name": "body", "type": "text"},
            {"name": "status", "type": "enum", "values": ["draft", "published"], "default": "draft"},
            {"name": "views", "type": "integer", "min": 0, "default": 0},
        ],
        "relations": [{"name": "tags", "to": "Tag", "kind": "many_to_many"}],
    },
    {
        "name": "Comment",
        "fields": [{"name": "text", "type": "text", "max_length": 2000}],
        "relations": [{"name": "post", "to": "Post", "kind": "many_to_one", "required": True}],
    },
    {"name": "Tag", "fields": [{"name": "label", "type": "string", "max_length": 50, "unique": True}]},
]
BASE_ANSWERS: dict[str, Any] = {"project_name": "Bad Answers", "project_slug": "bad_answers", "models": BASE_MODELS}


def answers_with(**changes: Any) -> dict[str, Any]:
    answers = copy.deepcopy(BASE_ANSWERS)
    answers.update(copy.deepcopy(changes))
    return answers


def models_with(edit: Callable[[list[dict[str, Any]]], None]) -> dict[str, Any]:
    models = copy.deepcopy(BASE_MODELS)
    edit(models)
    return answers_with(models=models)


def post_field(**spec: Any) -> dict[str, Any]:
    """Answers whose Post model gains one more field."""
    return models_with(lambda models: models[0]["fields"].append(spec))


def set_post_field(index: int, **changes: Any) -> dict[str, Any]:
    """Answers whose Post field number ``index`` gets ``changes``."""
    return models_with(lambda models: models[0]["fields"][index].update(changes))


@dataclass(frozen=True)
class Case:
    id: str
    answers: dict[str, Any]
    header: str  # how copier introduces the message: it names the question
    fragments: tuple[str, ...]


def case(id: str, answers: dict[str, Any], question: str, *fragments: str, marks: Any = (), header: str = "") -> Any:
    header = header or f"Validation error for question '{question}'"
    return pytest.param(Case(id, answers, header, fragments), id=id, marks=marks)


def _rename_comment_to_post(models: list[dict[str, Any]]) -> None:
    models[1]["name"] = "Post"


def _required_cycle(models: list[dict[str, Any]]) -> None:
    models[0]["relations"].append({"name": "pinned_comment", "to": "Comment", "kind": "many_to_one", "required": True})


def _index_names_collide(models: list[dict[str, Any]]) -> None:
    """posts.archives_year and posts_archives.year: both indexes would be ix_posts_archives_year."""
    models[0]["fields"].append({"name": "archives_year", "type": "integer", "index": True})
    models.append({"name": "PostsArchive", "fields": [{"name": "year", "type": "integer", "index": True}]})


CASES = [
    case("model-not-pascal-case", models_with(lambda m: m[0].update(name="blog_post")), "models",
         "'blog_post' is not a PascalCase model name", "'BlogPost'"),
    case("model-reserved-user", models_with(lambda m: m[2].update(name="User")), "models",
         "Model 'User'", "a model the generated project already has"),
    case("model-reserved-apikey", models_with(lambda m: m[2].update(name="ApiKey")), "models",
         "Model 'ApiKey'", "a model the generated project already has"),
    case("field-python-keyword", post_field(name="class", type="string"), "models",
         "Model 'Post', field 'class'", "Python keyword", "'class_value'"),
    case("field-built-in-id", post_field(name="id", type="integer"), "models",
         "Model 'Post', field 'id'", "built-in column"),
    case("field-built-in-created-at", post_field(name="created_at", type="datetime"), "models",
         "Model 'Post', field 'created_at'", "built-in column"),
    case("field-list-param-limit", post_field(name="limit", type="integer"), "models",
         "Model 'Post', field 'limit'", "query parameter of every list endpoint", "'limit_value'"),
    case("field-duplicate", post_field(name="title", type="string"), "models",
         "Model 'Post'", "field 'title' is declared twice"),
    case("model-duplicate", models_with(_rename_comment_to_post), "models", "Model 'Post' is declared twice"),
    case("field-unknown-type", post_field(name="rating", type="stars"), "models",
         "Model 'Post', field 'rating'", "type", "'string'"),
    case("enum-without-values", post_field(name="mood", type="enum"), "models",
         "Model 'Post', field 'mood'", "an enum field needs 'values'"),
    case("enum-default-not-a-value", set_post_field(2, default="live"), "models",
         "Model 'Post', field 'status'", "default 'live' is not one of the enum values", "['draft', 'published']"),
    case("min-greater-than-max", post_field(name="score", type="integer", min=10, max=1), "models",
         "Model 'Post', field 'score'", "'min' (10) is greater than 'max' (1)"),
    case("max-length-on-integer", set_post_field(3, max_length=10), "models",
         "Model 'Post', field 'views'", "'max_length' only applies to string, text, email and url fields, not to integer"),
    case("invalid-regex-pattern", set_post_field(0, pattern="[a-z"), "models",
         "Model 'Post', field 'title'", "'pattern' is not a valid regular expression"),
    case("relation-to-unknown-model",
         models_with(lambda m: m[1]["relations"].append({"name": "author", "to": "Author", "kind": "many_to_one"})),
         "models", "Model 'Comment', relation 'author'", "'to: Author' is not a model", "known models"),
    case("required-relation-cycle", models_with(_required_cycle), "models",
         "Required relations form a cycle", "Post -> Comment -> Post", "'required: false'"),
    case("unique-text-field", set_post_field(1, unique=True), "models",
         "Model 'Post', field 'body'", "text field cannot be unique", "use type string with a max_length"),
    case("unknown-option-typo", set_post_field(0, requried=False), "models",
         "Model 'Post', field 'title'", "unknown option 'requried'"),
    case("tenant-scoped-without-multi-tenant", models_with(lambda m: m[0].update(tenant_scoped=True)), "models",
         "Model 'Post'", "tenant_scoped needs multi_tenant"),
    case("shared-model-points-into-a-tenant", {**models_with(lambda m: m[1].update(tenant_scoped=False)),
                                               "multi_tenant": True},
         "models", "Model 'Comment', relation", "tenant_scoped: false", "'Post'"),
    case("track-authors-field-clash",
         models_with(lambda m: m[0].update(track_authors=True, fields=[*m[0]["fields"], {"name": "created_by", "type": "integer"}])),
         "models", "Model 'Post'", "field 'created_by' is added by 'track_authors: true'"),
    case("field-name-past-63-characters", post_field(name="x" * 64, type="string"), "models",
         f"Model 'Post': the column posts.{'x' * 64} has a name of 64 characters", "63", "shorten field"),
    case("index-names-collide", models_with(_index_names_collide), "models",
         "Model 'PostsArchive': the index on posts_archives.year would be named 'ix_posts_archives_year'",
         "the index on posts.archives_year (in model 'Post')", "rename a field, relation or model"),
    case("models-empty-list", answers_with(models=[]), "models", "models must be a YAML list"),
    case("model-without-fields", models_with(lambda m: m[2].update(fields=[])), "models", "Model 'Tag'", "fields"),
    case("slug-starts-with-digit", answers_with(project_slug="1api"), "project_slug",
         "project_slug '1api' must be a Python package name", "'my_api'"),
    case("slug-python-keyword", answers_with(project_slug="class"), "project_slug",
         "project_slug 'class' must be a Python package name", "not a keyword"),
    case("slug-shadows-a-package", answers_with(project_slug="app"), "project_slug",
         "project_slug 'app' would shadow a package", "'app_api'"),
    case("auth-without-password-jwt", answers_with(auth_methods=["api_key"]), "auth_methods",
         "auth_methods must include password_jwt"),
    case("author-email-without-at", answers_with(author_email="nobody"), "author_email",
         "author_email 'nobody' is not an e-mail address", "dev@example.com"),
    case("database-not-a-choice", answers_with(database="oracle"), "database",
         "'oracle' is not in", "'postgresql'", header="Invalid choice for 'database'"),
    case("author-email-without-domain", answers_with(author_email="dev@"), "author_email",
         "author_email 'dev@' is not an e-mail address", "dev@example.com"),
    case("integration-unknown", answers_with(integrations=["paypal"]), "integrations", "'paypal' is not in",
         header="Invalid choice for 'integrations'"),
    case("stripe-subscriptions-without-webhooks",
         answers_with(integrations=["stripe"], stripe_features=["checkout", "subscriptions"]), "stripe_features",
         "subscriptions needs webhooks", "add webhooks"),
    case("stripe-no-features", answers_with(integrations=["stripe"], stripe_features=[]), "stripe_features",
         "choose at least one of checkout"),
]


# --------------------------------------------------------------------------- running copier


@dataclass
class CopyRun:
    returncode: int
    stdout: str
    stderr: str
    destination: Path
    answers_path: Path
    files: list[str] = field(default_factory=list)

    @property
    def tail(self) -> str:
        return "\n".join(self.stderr.strip().splitlines()[-TAIL_LINES:])


def copier_copy(answers: dict[str, Any] | None, workdir: Path) -> CopyRun:
    workdir.mkdir(parents=True, exist_ok=True)
    answers_path = workdir / "answers.yml"
    answers_path.write_text(yaml.safe_dump(answers or {}, sort_keys=False))
    destination = workdir / "out"
    command = [sys.executable, "-m", "copier", "copy", "--trust", "--defaults", "--vcs-ref=HEAD"]
    if answers is not None:
        command += ["--data-file", str(answers_path)]
    command += [str(TEMPLATE), str(destination)]
    env = {**os.environ, "NO_COLOR": "1", "COPIER_NO_COLOR": "1"}
    process = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL,
                             env=env, cwd=workdir)
    files = sorted(str(p.relative_to(destination)) for p in destination.rglob("*")) if destination.exists() else []
    return CopyRun(process.returncode, process.stdout, process.stderr, destination, answers_path, files)


@pytest.fixture(scope="session")
def bad_runs(request: pytest.FixtureRequest) -> Iterator[dict[str, CopyRun]]:
    """The selected bad-answer copies (all, unless ``-k`` picked some), run concurrently once."""
    selected = {
        item.callspec.id
        for item in request.session.items
        if getattr(item, "originalname", "") == "test_bad_answer_is_refused_with_a_clear_message_and_nothing_written"
    }
    cases = [param.values[0] for param in CASES if param.id in selected]
    with tempfile.TemporaryDirectory(prefix="bad-answers-") as root, ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        futures = {c.id: pool.submit(copier_copy, c.answers, Path(root) / c.id) for c in cases}
        yield {case_id: future.result() for case_id, future in futures.items()}


def test_case_ids_are_unique_and_enough() -> None:
    ids = [param.id for param in CASES]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 18


def test_every_case_breaks_exactly_one_thing() -> None:
    """The base answers are valid: each case fails only because of its own change."""
    from backend_squad.extension_api import models_error, slug_error

    assert models_error(BASE_ANSWERS["models"]) == ""
    assert slug_error(BASE_ANSWERS["project_slug"]) == ""


def test_author_email_filter() -> None:
    """The validator copier.yml runs for author_email: something@something.tld."""
    from backend_squad.extension_api import email_error

    assert email_error("dev@example.com") == ""
    for bad in ("nobody", "dev@", "dev@example", "@example.com", "a b@example.com"):
        assert email_error(bad) == f"author_email '{bad}' is not an e-mail address (for example dev@example.com)"


@pytest.mark.parametrize("bad", CASES)
def test_bad_answer_is_refused_with_a_clear_message_and_nothing_written(bad: Case, bad_runs: dict[str, CopyRun]) -> None:
    result = bad_runs[bad.id]
    assert result.returncode != 0, f"copier accepted the answers:\n{result.stdout}\n{result.stderr}"
    tail = result.tail
    assert bad.header in tail, tail
    missing = [fragment for fragment in bad.fragments if fragment not in tail]
    assert not missing, f"the last {TAIL_LINES} lines of stderr lack {missing!r}:\n{tail}"
    assert not result.destination.exists(), f"copier wrote {result.files[:10]}"


# --------------------------------------------------------------------------- positive controls


@pytest.fixture(scope="module")
def default_copy(tmp_path_factory: pytest.TempPathFactory) -> CopyRun:
    return copier_copy(None, tmp_path_factory.mktemp("defaults"))


def test_defaults_copy_succeeds(default_copy: CopyRun) -> None:
    assert default_copy.returncode == 0, default_copy.stderr
    assert (default_copy.destination / "app" / "main.py").is_file()


def test_defaults_copy_records_the_answers_and_models(default_copy: CopyRun) -> None:
    from backend_squad.presets import PRESET_MODELS
    from backend_squad.spec import load_spec

    recorded = yaml.safe_load((default_copy.destination / ".copier-answers.yml").read_text())
    assert recorded["preset"] == "custom"
    assert recorded["models"] == PRESET_MODELS["custom"]
    assert recorded["project_slug"] == "my_api"
    assert load_spec(recorded).models == load_spec({"models": PRESET_MODELS["custom"]}).models
    assert "_src_path" in recorded and "_commit" in recorded


def test_defaults_copy_writes_a_secret_env_that_the_answers_do_not_hold(default_copy: CopyRun) -> None:
    destination = default_copy.destination
    env_file = destination / ".env"
    lines = [line for line in env_file.read_text().splitlines() if line.startswith("SECRET_KEY=")]
    assert len(lines) == 1
    secret = lines[0].removeprefix("SECRET_KEY=")
    assert len(secret) >= 43  # at least 32 random bytes, urlsafe-base64
    assert secret not in (destination / ".copier-answers.yml").read_text()
    assert secret not in (destination / ".env.example").read_text()
    assert "SECRET_KEY" not in yaml.safe_load((destination / ".copier-answers.yml").read_text())
    assert env_file.stat().st_mode & 0o077 == 0, oct(env_file.stat().st_mode)
    assert ".env" in (destination / ".gitignore").read_text().splitlines()


def test_two_copies_get_different_secrets(default_copy: CopyRun, tmp_path: Path) -> None:
    other = copier_copy({"preset": "blog"}, tmp_path)
    assert other.returncode == 0, other.stderr
    first = (default_copy.destination / ".env").read_text()
    second = (other.destination / ".env").read_text()
    secret = next(line for line in second.splitlines() if line.startswith("SECRET_KEY="))
    assert secret not in first
    recorded = yaml.safe_load((other.destination / ".copier-answers.yml").read_text())
    assert [m["name"] for m in recorded["models"]] == ["Post", "Comment", "Tag"]


def test_base_answers_copy_succeeds(tmp_path: Path) -> None:
    """The answers every bad case starts from are accepted by copier itself."""
    result = copier_copy(BASE_ANSWERS, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    recorded = yaml.safe_load((result.destination / ".copier-answers.yml").read_text())
    assert recorded["models"] == BASE_MODELS
    assert (result.destination / "app" / "schemas" / "comment.py").is_file()
