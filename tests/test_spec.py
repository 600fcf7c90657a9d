"""Unit tests of ``load_spec`` / ``ProjectSpec``: what the ``models`` answer may say, and what the errors tell a person.

Every error assertion checks the text a person relies on: the model, the field, the reason and what to write instead.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
import yaml

from backend_squad import naming
from backend_squad.presets import PRESET_MODELS, PRESET_OPTIONS, preset_models_yaml
from backend_squad.spec import (
    MAX_INDEXED_LENGTH,
    AuthMethod,
    Database,
    FieldType,
    ProjectSpec,
    RelationKind,
    SpecError,
    load_spec,
    parse_models,
)

# --------------------------------------------------------------------------- helpers


def field(name: str = "title", type: str = "string", **options: Any) -> dict[str, Any]:
    return {"name": name, "type": type, **options}


def model(name: str = "Post", *fields: dict[str, Any], **options: Any) -> dict[str, Any]:
    return {"name": name, "fields": list(fields) or [field()], **options}


def spec_of(*models: dict[str, Any], **answers: Any) -> ProjectSpec:
    return load_spec({"models": list(models), **answers})


def error_of(*models: dict[str, Any], **answers: Any) -> str:
    with pytest.raises(SpecError) as info:
        spec_of(*models, **answers)
    return str(info.value)


def only_field(*fields: dict[str, Any]):
    """The single field of a one-model spec, after validation."""
    return spec_of(model("Post", *fields)).models[0].fields[0]


def assert_mentions(message: str, *fragments: str) -> None:
    missing = [fragment for fragment in fragments if fragment not in message]
    assert not missing, f"message lacks {missing!r}: {message!r}"


# --------------------------------------------------------------------------- presets


@pytest.mark.parametrize("preset", sorted(PRESET_MODELS))
def test_every_preset_validates(preset: str) -> None:
    spec = load_spec({"preset": preset, "models": copy.deepcopy(PRESET_MODELS[preset]), **PRESET_OPTIONS[preset]})
    assert [m.name for m in spec.models] == [m["name"] for m in PRESET_MODELS[preset]]
    assert spec.preset.value == preset
    assert AuthMethod.PASSWORD_JWT in spec.auth_methods


@pytest.mark.parametrize("framework", ["fastapi", "nextjs"])
@pytest.mark.parametrize("preset", sorted(PRESET_MODELS))
def test_every_preset_passes_the_models_question(preset: str, framework: str) -> None:
    """The validator copier.yml runs, database names included: a preset's answers are never refused."""
    from backend_squad.extension_api import models_error

    options = PRESET_OPTIONS[preset]
    assert models_error(PRESET_MODELS[preset], None, framework, options["roles"], options["multi_tenant"]) == ""


@pytest.mark.parametrize("preset", sorted(PRESET_MODELS))
def test_every_preset_validates_from_the_yaml_shown_at_the_prompt(preset: str) -> None:
    """Copier shows the preset's models as YAML and reads back what the person leaves there."""
    raw = yaml.safe_load(preset_models_yaml(preset))
    assert raw == PRESET_MODELS[preset]
    roles = PRESET_OPTIONS[preset]["roles"]
    assert parse_models(raw, roles) == load_spec({"models": PRESET_MODELS[preset], "roles": roles}).models


def test_presets_do_not_mutate_the_preset_data() -> None:
    before = copy.deepcopy(PRESET_MODELS)
    for preset in PRESET_MODELS:
        load_spec({"models": PRESET_MODELS[preset], "roles": PRESET_OPTIONS[preset]["roles"]})
    assert before == PRESET_MODELS


def test_spec_error_is_a_value_error() -> None:
    assert issubclass(SpecError, ValueError)


# --------------------------------------------------------------------------- the shape of the answers


def test_project_defaults() -> None:
    spec = spec_of(model())
    assert spec.project_slug == "my_api"
    assert spec.database is Database.SQLITE
    assert spec.auth_methods == (AuthMethod.PASSWORD_JWT,)
    assert spec.api_versioning is True


def test_a_single_model_mapping_is_accepted_as_a_list_of_one() -> None:
    spec = load_spec({"models": model("Post")})
    assert [m.name for m in spec.models] == ["Post"]


@pytest.mark.parametrize("models", [None, [], "Post", 3], ids=["none", "empty", "string", "int"])
def test_models_must_be_a_non_empty_list(models: Any) -> None:
    with pytest.raises(SpecError) as info:
        load_spec({"models": models})
    assert_mentions(str(info.value), "models must be a YAML list", "name and fields")


def test_models_answer_missing_entirely() -> None:
    with pytest.raises(SpecError, match="models must be a YAML list"):
        load_spec({})


def test_each_model_must_be_a_mapping() -> None:
    with pytest.raises(SpecError) as info:
        load_spec({"models": [model("Post"), "Comment"]})
    assert_mentions(str(info.value), "Model #2", "must be a mapping", "'name' and 'fields'", "'Comment'")


def test_a_model_needs_fields() -> None:
    message = error_of({"name": "Post", "fields": []})
    assert_mentions(message, "Model 'Post'", "fields")
    message = error_of({"name": "Post"})
    assert_mentions(message, "Model 'Post'", "fields")


def test_a_model_without_a_name_is_located_by_position() -> None:
    message = error_of(model("Post"), {"fields": [field()]})
    assert_mentions(message, "Model '#2'", "name")


def test_unrelated_answers_are_ignored() -> None:
    spec = spec_of(model(), _commit="abc123", _src_path="/somewhere", preset="blog", unknown_question=1)
    assert spec.preset.value == "blog"


def test_spec_is_frozen() -> None:
    spec = spec_of(model())
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises ValidationError on frozen assignment
        spec.project_slug = "other"  # type: ignore[misc]
    with pytest.raises(Exception):  # noqa: B017
        spec.models[0].fields[0].name = "other"  # type: ignore[misc]


@pytest.mark.parametrize("typo", ["requried", "maxlength", "enum", "nullable"])
def test_unknown_option_on_a_field_names_model_field_and_option(typo: str) -> None:
    message = error_of(model("Post", field("title", **{typo: True})))
    assert_mentions(message, "Model 'Post'", "field 'title'", f"unknown option '{typo}'")


def test_unknown_option_on_a_model_and_on_a_relation() -> None:
    message = error_of(model("Post", ownd=True))
    assert_mentions(message, "Model 'Post'", "unknown option 'ownd'")
    message = error_of(model("Post", relations=[{"name": "tag", "to": "Tag", "kind": "many_to_one", "requird": True}]),
                       model("Tag"))
    assert_mentions(message, "Model 'Post'", "relation 'tag'", "unknown option 'requird'")


@pytest.mark.parametrize("bad", ["strng", "str", "varchar", "Integer"])
def test_unknown_field_type_lists_the_types(bad: str) -> None:
    message = error_of(model("Post", field("title", bad)))
    assert_mentions(message, "Model 'Post'", "field 'title'", "type", "'string'", "'enum'")


def test_every_field_type_is_accepted() -> None:
    fields = [field(f"f_{kind.value}", kind.value, **({"values": ["a", "b"]} if kind is FieldType.ENUM else {}))
              for kind in FieldType]
    spec = spec_of(model("Thing", *fields))
    assert [f.type for f in spec.models[0].fields] == list(FieldType)


# --------------------------------------------------------------------------- defaults


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"type": "float", "default": 3}, 3.0),
        ({"type": "float", "default": 2.5}, 2.5),
        ({"type": "decimal", "default": 1.5}, "1.5"),
        ({"type": "decimal", "default": 2}, "2"),
        ({"type": "decimal", "default": "19.99"}, "19.99"),
        ({"type": "integer", "default": 7}, 7),
        ({"type": "boolean", "default": False}, False),
        ({"type": "string", "default": "hello"}, "hello"),
        ({"type": "text", "default": ""}, ""),
        ({"type": "json", "default": {"a": [1, 2]}}, {"a": [1, 2]}),
        ({"type": "enum", "values": ["draft", "live"], "default": "live"}, "live"),
    ],
    ids=["float-from-int", "float", "decimal-from-float", "decimal-from-int", "decimal-from-str", "integer",
         "boolean", "string", "text-empty", "json", "enum"],
)
def test_defaults_are_coerced(options: dict[str, Any], expected: Any) -> None:
    spec_field = only_field(field("value", **options))
    assert spec_field.default == expected
    assert type(spec_field.default) is type(expected)


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"type": "boolean", "default": "yes"}, "default 'yes' is not a valid boolean"),
        ({"type": "boolean", "default": 1}, "default 1 is not a valid boolean"),
        ({"type": "integer", "default": True}, "default True is not a valid integer"),
        ({"type": "integer", "default": 2.5}, "default 2.5 is not a valid integer"),
        ({"type": "integer", "default": "3"}, "default '3' is not a valid integer"),
        ({"type": "float", "default": "fast"}, "default 'fast' is not a valid float"),
        ({"type": "float", "default": True}, "default True is not a valid float"),
        ({"type": "decimal", "default": "ten"}, "default 'ten' is not a valid decimal"),
        ({"type": "string", "default": 5}, "default 5 is not a valid string"),
        ({"type": "string", "max_length": 3, "default": "abcd"}, "longer than max_length 3"),
        ({"type": "string", "default": "x" * 256}, "longer than max_length 255"),
        ({"type": "string", "pattern": "^[a-z]+$", "default": "ABC"}, "does not match pattern"),
        ({"type": "integer", "min": 1, "max": 5, "default": 9}, "default 9 is outside min/max"),
        ({"type": "integer", "min": 1, "default": 0}, "default 0 is outside min/max"),
        ({"type": "decimal", "max": 10, "default": "10.5"}, "outside min/max"),
        ({"type": "date", "default": "2024-01-01"}, "date fields cannot have a default"),
        ({"type": "datetime", "default": "2024-01-01T00:00:00Z"}, "make the field optional (required: false)"),
        ({"type": "uuid", "default": "00000000-0000-0000-0000-000000000001"}, "uuid fields cannot have a default"),
        ({"type": "email", "default": "a@example.com"}, "email fields cannot have a default"),
        ({"type": "url", "default": "https://example.com"}, "url fields cannot have a default"),
    ],
    ids=["boolean-from-str", "boolean-from-int", "integer-from-bool", "integer-from-float", "integer-from-str",
         "float-from-str", "float-from-bool", "decimal-from-word", "string-from-int", "string-over-max-length",
         "string-over-255", "string-off-pattern", "integer-over-max", "integer-under-min", "decimal-over-max",
         "date", "datetime", "uuid", "email", "url"],
)
def test_bad_defaults_name_the_field_and_the_reason(options: dict[str, Any], fragment: str) -> None:
    message = error_of(model("Post", field("value", **options)))
    assert_mentions(message, "Model 'Post'", "field 'value'", fragment)


def test_default_not_in_enum_lists_the_values() -> None:
    message = error_of(model("Post", field("status", "enum", values=["draft", "published"], default="live")))
    assert_mentions(message, "Model 'Post'", "field 'status'", "default 'live'", "['draft', 'published']")


def test_default_on_the_bound_is_accepted() -> None:
    assert only_field(field("n", "integer", min=1, max=5, default=5)).default == 5
    assert only_field(field("n", "integer", min=1, max=5, default=1)).default == 1


# --------------------------------------------------------------------------- enum values


def test_enum_needs_values() -> None:
    for options in ({}, {"values": []}):
        message = error_of(model("Post", field("status", "enum", **options)))
        assert_mentions(message, "Model 'Post'", "field 'status'", "needs 'values'", "[draft, published]")


@pytest.mark.parametrize("value", ["Draft", "in progress", "in-progress", "1st", "_x"])
def test_enum_values_must_be_snake_case(value: str) -> None:
    message = error_of(model("Post", field("status", "enum", values=["ok", value])))
    assert_mentions(message, "field 'status'", f"enum value '{value}'", "snake_case")


def test_enum_values_must_be_strings() -> None:
    message = error_of(model("Post", field("level", "enum", values=[1, 2])))
    assert_mentions(message, "Model 'Post'", "field 'level'", "values")


def test_enum_values_must_be_distinct() -> None:
    message = error_of(model("Post", field("status", "enum", values=["a", "b", "a"])))
    assert_mentions(message, "field 'status'", "duplicate")


def test_enum_values_are_kept_in_order() -> None:
    assert only_field(field("status", "enum", values=["b", "a", "c"])).values == ("b", "a", "c")


def test_values_only_apply_to_enums() -> None:
    message = error_of(model("Post", field("title", "string", values=["a"])))
    assert_mentions(message, "field 'title'", "'values' only applies to enum fields", "not to string")


# --------------------------------------------------------------------------- min / max / max_length / pattern


@pytest.mark.parametrize("kind", ["integer", "float", "decimal"])
def test_min_max_on_numbers(kind: str) -> None:
    spec_field = only_field(field("n", kind, min=0, max=10))
    assert (spec_field.min, spec_field.max) == (0, 10)
    assert only_field(field("n", kind, min=3, max=3)).min == 3


@pytest.mark.parametrize("kind", ["integer", "float", "decimal"])
def test_min_greater_than_max(kind: str) -> None:
    message = error_of(model("Post", field("n", kind, min=10, max=1)))
    assert_mentions(message, "Model 'Post'", "field 'n'", "'min' (10) is greater than 'max' (1)")


@pytest.mark.parametrize("kind", ["string", "text", "boolean", "date", "enum"])
def test_min_max_only_on_numbers(kind: str) -> None:
    extra = {"values": ["a"]} if kind == "enum" else {}
    message = error_of(model("Post", field("x", kind, min=1, **extra)))
    assert_mentions(message, "field 'x'", "'min'/'max' only apply to integer, float and decimal fields", f"not to {kind}")


@pytest.mark.parametrize("length", [1, 200, 10_000])
def test_max_length_in_range(length: int) -> None:
    assert only_field(field("body", "text", max_length=length)).max_length == length


@pytest.mark.parametrize("length", [0, -1, 10_001])
def test_max_length_out_of_range(length: int) -> None:
    message = error_of(model("Post", field("title", max_length=length)))
    assert_mentions(message, "Model 'Post'", "field 'title'", "max_length")


@pytest.mark.parametrize("kind", ["integer", "json", "boolean", "uuid", "date"])
def test_max_length_only_on_strings(kind: str) -> None:
    message = error_of(model("Post", field("x", kind, max_length=10)))
    assert_mentions(message, "Model 'Post'", "field 'x'",
                    "'max_length' only applies to string, text, email and url fields", f"not to {kind}")


@pytest.mark.parametrize(("kind", "length"), [("email", 100), ("url", 500)])
def test_max_length_on_email_and_url(kind: str, length: int) -> None:
    assert only_field(field("x", kind, max_length=length)).effective_max_length == length


@pytest.mark.parametrize(("kind", "needed"), [("email", 15), ("url", 22)])
def test_max_length_too_short_for_the_test_samples(kind: str, needed: int) -> None:
    message = error_of(model("Post", field("x", kind, max_length=10)))
    assert_mentions(message, "Model 'Post'", "field 'x'", "max_length 10 is too short", f"max_length: {needed} or more")
    assert only_field(field("x", kind, max_length=needed)).max_length == needed


def test_effective_max_length_defaults() -> None:
    fields = [field("s"), field("t", "text"), field("e", "email"), field("u", "url"), field("m", max_length=40)]
    lengths = {f.name: f.effective_max_length for f in spec_of(model("Post", *fields)).models[0].fields}
    assert lengths == {"s": 255, "t": None, "e": 320, "u": 2048, "m": 40}


def test_valid_pattern_is_kept() -> None:
    assert only_field(field("code", pattern=r"^[a-z0-9_]+$")).pattern == r"^[a-z0-9_]+$"


@pytest.mark.parametrize("pattern", ["[a-z", "(abc", "*x", "a{2,1}"])
def test_invalid_pattern(pattern: str) -> None:
    message = error_of(model("Post", field("code", pattern=pattern)))
    assert_mentions(message, "Model 'Post'", "field 'code'", "'pattern' is not a valid regular expression")


def test_pattern_only_on_strings() -> None:
    message = error_of(model("Post", field("n", "integer", pattern="^[0-9]+$")))
    assert_mentions(message, "field 'n'", "'pattern' only applies to string and text fields", "not to integer")


# --------------------------------------------------------------------------- unique / index


@pytest.mark.parametrize("kind", ["text", "json"])
@pytest.mark.parametrize("flag", ["unique", "index"])
def test_unindexable_types_cannot_be_unique_or_indexed(kind: str, flag: str) -> None:
    message = error_of(model("Post", field("body", kind, **{flag: True})))
    assert_mentions(message, "Model 'Post'", "field 'body'", f"a {kind} field cannot be unique or indexed",
                    "use type string with a max_length")


def test_unique_string_longer_than_the_index_limit() -> None:
    message = error_of(model("Post", field("slug", unique=True, max_length=MAX_INDEXED_LENGTH + 1)))
    assert_mentions(message, "field 'slug'", f"at most {MAX_INDEXED_LENGTH} characters",
                    f"max_length: {MAX_INDEXED_LENGTH} or less")
    assert only_field(field("slug", unique=True, max_length=MAX_INDEXED_LENGTH)).unique


@pytest.mark.parametrize("kind", ["string", "integer", "email", "uuid", "date", "boolean"])
def test_indexable_types_can_be_unique(kind: str) -> None:
    assert only_field(field("x", kind, unique=True, index=True)).unique


# --------------------------------------------------------------------------- field and relation names


@pytest.mark.parametrize("name", ["class", "def", "import", "return", "lambda", "for", "async", "match", "case"])
def test_python_keywords_are_rejected(name: str) -> None:
    message = error_of(model("Post", field(name)))
    assert_mentions(message, "Model 'Post'", f"field '{name}'", "Python keyword", f"'{name}_value'")


@pytest.mark.parametrize("name", sorted(naming.BUILT_IN_FIELDS))
def test_built_in_columns_are_rejected(name: str) -> None:
    assert {"id", "created_at", "updated_at", "owner_id", "deleted_at"} <= naming.BUILT_IN_FIELDS
    message = error_of(model("Post", field("title"), field(name)))
    assert_mentions(message, "Model 'Post'", f"field '{name}'", "built-in column every model already has",
                    "remove it or rename it")


@pytest.mark.parametrize("name", sorted(naming.LIST_QUERY_PARAMS))
def test_list_query_params_are_rejected(name: str) -> None:
    assert {"limit", "offset", "sort"} <= naming.LIST_QUERY_PARAMS
    message = error_of(model("Post", field(name, "integer")))
    assert_mentions(message, "Model 'Post'", f"field '{name}'", "query parameter of every list endpoint",
                    f"'{name}_value'")


@pytest.mark.parametrize("name", ["metadata", "registry", "schema", "model_number", "json"])
def test_framework_attributes_are_rejected(name: str) -> None:
    message = error_of(model("Post", field(name)))
    assert_mentions(message, "Model 'Post'", f"field '{name}'", "reserved by SQLAlchemy/Pydantic", f"'{name}_info'")


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [("Title", "'title'"), ("firstName", "'first_name'"), ("first__name", "first"), ("1st", "snake_case"),
     ("first-name", "snake_case"), ("_private", "snake_case"), ("name_", "snake_case")],
)
def test_field_names_must_be_snake_case(name: str, suggestion: str) -> None:
    message = error_of(model("Post", field(name)))
    assert_mentions(message, "Model 'Post'", "is not a snake_case name", suggestion)


def test_duplicate_field() -> None:
    message = error_of(model("Post", field("title"), field("body", "text"), field("title")))
    assert_mentions(message, "Model 'Post'", "field 'title' is declared twice")


def test_the_same_field_name_in_two_models_is_fine() -> None:
    spec = spec_of(model("Post", field("title")), model("Article", field("title")))
    assert [m.name for m in spec.models] == ["Post", "Article"]


def test_relation_names_follow_the_field_rules() -> None:
    message = error_of(model("Post", relations=[{"name": "class", "to": "Tag", "kind": "many_to_one"}]), model("Tag"))
    assert_mentions(message, "Model 'Post'", "relation 'class'", "Python keyword")
    message = error_of(model("Post", relations=[{"name": "Tag", "to": "Tag", "kind": "many_to_one"}]), model("Tag"))
    assert_mentions(message, "Model 'Post'", "is not a snake_case name")


@pytest.mark.parametrize("taken", ["author_id", "author_ids", "author"])
def test_relation_needs_its_column_names(taken: str) -> None:
    message = error_of(
        model("Post", field("title"), field(taken, "integer"),
              relations=[{"name": "author", "to": "User", "kind": "many_to_one"}]),
    )
    assert_mentions(message, "Model 'Post'", "relation 'author'", f"'{taken}'", "rename one of them")


def test_two_relations_with_the_same_name() -> None:
    message = error_of(
        model("Post", relations=[{"name": "tag", "to": "Tag", "kind": "many_to_one"},
                                 {"name": "tag", "to": "Tag", "kind": "many_to_many"}]),
        model("Tag"),
    )
    assert_mentions(message, "Model 'Post'", "relation 'tag'", "rename one of them")


# --------------------------------------------------------------------------- model names


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [("post", "'Post'"), ("blog_post", "'BlogPost'"), ("blog-post", "'BlogPost'"), ("Blog_Post", "'BlogPost'"),
     ("1Post", "PascalCase"), ("", "PascalCase")],
    ids=["lower", "snake", "kebab", "mixed", "digit", "empty"],
)
def test_model_names_must_be_pascal_case(name: str, suggestion: str) -> None:
    message = error_of(model(name))
    assert_mentions(message, "is not a PascalCase model name", suggestion)


@pytest.mark.parametrize("name", sorted(naming.BUILT_IN_MODELS))
def test_built_in_model_names_are_rejected(name: str) -> None:
    assert {"User", "ApiKey"} <= naming.BUILT_IN_MODELS
    message = error_of(model(name))
    assert_mentions(message, f"Model '{name}'", "a model the generated project already has", "'Member'")


@pytest.mark.parametrize("name", ["Base", "Session", "Settings", "Field", "Health", "Auth"])
def test_model_names_that_shadow_imports_are_rejected(name: str) -> None:
    message = error_of(model(name))
    assert_mentions(message, f"Model '{name}'", "clashes with a name the generated code imports", f"'{name}Entry'")


def test_duplicate_model() -> None:
    message = error_of(model("Post"), model("Tag"), model("Post", field("body", "text")))
    assert_mentions(message, "Model 'Post' is declared twice")


def test_table_name_collision() -> None:
    # "Bus" -> "buses" and "Buse" -> "buses"
    message = error_of(model("Bus"), model("Buse"))
    assert_mentions(message, "Model 'Buse'", "table name 'buses'", "collides with model 'Bus'")


@pytest.mark.parametrize(("name", "snake", "table"),
                         [("Post", "post", "posts"), ("OrderItem", "order_item", "order_items"),
                          ("Category", "category", "categories"), ("Box", "box", "boxes"), ("Day", "day", "days")])
def test_model_snake_and_table_names(name: str, snake: str, table: str) -> None:
    spec_model = spec_of(model(name)).models[0]
    assert (spec_model.snake, spec_model.table) == (snake, table)


# --------------------------------------------------------------------------- relations


def test_relation_kinds_and_user_target() -> None:
    spec = spec_of(
        model("Post", relations=[{"name": "author", "to": "User", "kind": "many_to_one", "required": True},
                                 {"name": "tags", "to": "Tag", "kind": "many_to_many"},
                                 {"name": "comments", "to": "Comment", "kind": "one_to_many"}]),
        model("Tag"),
        model("Comment", field("body", "text")),
    )
    assert [r.kind for r in spec.model("Post").relations] == [
        RelationKind.MANY_TO_ONE, RelationKind.MANY_TO_MANY, RelationKind.ONE_TO_MANY]


def test_relation_to_unknown_model_lists_the_known_ones() -> None:
    message = error_of(model("Post", relations=[{"name": "author", "to": "Author", "kind": "many_to_one"}]), model("Tag"))
    assert_mentions(message, "Model 'Post'", "relation 'author'", "'to: Author' is not a model",
                    "known models: Post, Tag, User")


def test_relation_target_is_case_sensitive() -> None:
    message = error_of(model("Post", relations=[{"name": "tag", "to": "tag", "kind": "many_to_one"}]), model("Tag"))
    assert_mentions(message, "relation 'tag'", "'to: tag' is not a model")


def test_unknown_relation_kind() -> None:
    message = error_of(model("Post", relations=[{"name": "tag", "to": "Tag", "kind": "belongs_to"}]), model("Tag"))
    assert_mentions(message, "Model 'Post'", "relation 'tag'", "kind", "'many_to_one'")


@pytest.mark.parametrize("kind", ["one_to_many", "many_to_many"])
def test_only_many_to_one_may_point_to_user(kind: str) -> None:
    message = error_of(model("Post", relations=[{"name": "readers", "to": "User", "kind": kind}]))
    assert_mentions(message, "Model 'Post'", "relation 'readers'", "only many_to_one relations may point to User",
                    "owned: true")


def test_many_to_many_to_itself_is_rejected() -> None:
    message = error_of(model("Post", relations=[{"name": "related", "to": "Post", "kind": "many_to_many"}]))
    assert_mentions(message, "Model 'Post'", "relation 'related'", "many_to_many relation to the same model")


def test_required_only_on_many_to_one() -> None:
    message = error_of(model("Post", relations=[{"name": "tags", "to": "Tag", "kind": "many_to_many", "required": True}]),
                       model("Tag"))
    assert_mentions(message, "Model 'Post'", "relation 'tags'", "'required' only applies to many_to_one relations")


def test_required_relation_cycle_of_two() -> None:
    message = error_of(
        model("Author", relations=[{"name": "book", "to": "Book", "kind": "many_to_one", "required": True}]),
        model("Book", relations=[{"name": "author", "to": "Author", "kind": "many_to_one", "required": True}]),
    )
    assert_mentions(message, "Required relations form a cycle", "Author -> Book -> Author",
                    "make one of them 'required: false'")


def test_required_relation_cycle_of_three() -> None:
    message = error_of(
        model("Aa", relations=[{"name": "bb", "to": "Bb", "kind": "many_to_one", "required": True}]),
        model("Bb", relations=[{"name": "cc", "to": "Cc", "kind": "many_to_one", "required": True}]),
        model("Cc", relations=[{"name": "aa", "to": "Aa", "kind": "many_to_one", "required": True}]),
    )
    assert_mentions(message, "Required relations form a cycle", "Aa -> Bb -> Cc -> Aa")


def test_required_relation_to_itself_is_a_cycle() -> None:
    message = error_of(model("Node", relations=[{"name": "parent", "to": "Node", "kind": "many_to_one", "required": True}]))
    assert_mentions(message, "Required relations form a cycle", "Node -> Node")


def test_optional_cycles_and_optional_self_links_are_fine() -> None:
    spec = spec_of(
        model("Author", relations=[{"name": "book", "to": "Book", "kind": "many_to_one"}]),
        model("Book", relations=[{"name": "author", "to": "Author", "kind": "many_to_one", "required": True}]),
        model("Node", relations=[{"name": "parent", "to": "Node", "kind": "many_to_one"}]),
    )
    assert len(spec.models) == 3


def test_one_to_many_back_reference_column_taken_by_a_field() -> None:
    message = error_of(
        model("Post", relations=[{"name": "comments", "to": "Comment", "kind": "one_to_many"}]),
        model("Comment", field("body", "text"), field("post_id", "integer")),
    )
    assert_mentions(message, "Model 'Post'", "relation 'comments'", "model 'Comment' needs a column 'post_id'",
                    "rename the field in 'Comment'")


def test_one_to_many_back_reference_column_taken_by_a_relation_elsewhere() -> None:
    message = error_of(
        model("Post", relations=[{"name": "comments", "to": "Comment", "kind": "one_to_many"}]),
        model("Comment", field("body", "text"), relations=[{"name": "post", "to": "Tag", "kind": "many_to_one"}]),
        model("Tag"),
    )
    assert_mentions(message, "Model 'Post'", "relation 'comments'", "'post_id'")


def test_one_to_many_with_a_matching_many_to_one_is_fine() -> None:
    spec = spec_of(
        model("Post", relations=[{"name": "comments", "to": "Comment", "kind": "one_to_many"}]),
        model("Comment", field("body", "text"), relations=[{"name": "post", "to": "Post", "kind": "many_to_one"}]),
    )
    assert len(spec.models) == 2


# --------------------------------------------------------------------------- project-level answers


@pytest.mark.parametrize("slug", ["1api", "class", "My_Api", "my-api", "", "_api", "import"])
def test_bad_project_slug(slug: str) -> None:
    message = error_of(model(), project_slug=slug)
    assert_mentions(message, f"project_slug '{slug}'", "must be a Python package name", "'my_api'")


@pytest.mark.parametrize("slug", ["app", "tests", "alembic", "fastapi"])
def test_project_slug_that_shadows_a_package(slug: str) -> None:
    message = error_of(model(), project_slug=slug)
    assert_mentions(message, f"project_slug '{slug}'", "would shadow a package", f"'{slug}_api'")


def test_auth_methods_must_include_password_jwt() -> None:
    message = error_of(model(), auth_methods=["api_key"])
    assert_mentions(message, "auth_methods must include password_jwt")


def test_auth_methods_are_deduplicated() -> None:
    spec = spec_of(model(), auth_methods=["password_jwt", "api_key", "password_jwt"])
    assert spec.auth_methods == (AuthMethod.PASSWORD_JWT, AuthMethod.API_KEY)


@pytest.mark.parametrize(("key", "value"), [("auth_methods", ["oauth"]), ("database", "oracle"),
                                            ("framework", "django"), ("preset", "crm")])
def test_unknown_choices_are_rejected(key: str, value: Any) -> None:
    message = error_of(model(), **{key: value})
    assert key in message


def test_parse_models_validates_models_alone() -> None:
    models = parse_models([model("Post"), model("Tag")])
    assert [m.name for m in models] == ["Post", "Tag"]
    with pytest.raises(SpecError, match="not a PascalCase"):
        parse_models([model("post")])


def test_first_error_names_the_right_model_among_several() -> None:
    message = error_of(model("Post"), model("Comment", field("body", "text"), field("id", "integer")), model("Tag"))
    assert_mentions(message, "Model 'Comment'", "field 'id'")
    assert "Model 'Post'" not in message and "Model 'Tag'" not in message


# --------------------------------------------------------------------------- formerly known bugs (each test pins its fix)


def test_an_invalid_field_does_not_claim_the_lists_are_empty() -> None:
    message = error_of(model("Post", field("title"), field("class")))
    assert "field 'class'" in message
    assert "at least 1 item" not in message


def test_a_unique_url_field_can_be_declared() -> None:
    errors = []
    for options in ({"unique": True}, {"unique": True, "max_length": 500}):
        try:
            spec_of(model("Link", field("href", "url", **options)))
            return
        except SpecError as exc:
            errors.append(str(exc))
    raise AssertionError(errors)


def test_field_clashing_with_a_many_to_many_ids_field_is_rejected() -> None:
    with pytest.raises(SpecError, match="tag_ids"):
        spec_of(model("Post", field("tag_ids", "json"), relations=[{"name": "tags", "to": "Tag", "kind": "many_to_many"}]),
                model("Tag"))


def test_relation_named_owner_on_an_owned_model_is_rejected() -> None:
    with pytest.raises(SpecError, match="owner"):
        spec_of(model("Post", owned=True, relations=[{"name": "owner", "to": "User", "kind": "many_to_one"}]))


@pytest.mark.parametrize("name", ["Common", "Platform", "ApiKeys", "Associations"])
def test_model_names_whose_modules_clash_with_template_files(name: str) -> None:
    with pytest.raises(SpecError, match=name):
        spec_of(model(name), auth_methods=["password_jwt", "api_key"])


@pytest.mark.parametrize("name", ["create", "update", "read"])
def test_enum_field_whose_class_name_clashes_with_a_schema_class(name: str) -> None:
    with pytest.raises(SpecError, match=name):
        spec_of(model("Post", field(name, "enum", values=["a", "b"])))


@pytest.mark.parametrize("options", [{"type": "float", "default": math.inf}, {"type": "decimal", "default": math.nan},
                                     {"type": "float", "default": math.nan}], ids=["float-inf", "decimal-nan", "float-nan"])
def test_non_finite_defaults_are_rejected(options: dict[str, Any]) -> None:
    with pytest.raises(SpecError, match="default"):
        spec_of(model("Price", field("amount", **options)))


def test_integer_default_beyond_the_column_range_is_rejected() -> None:
    with pytest.raises(SpecError, match="default"):
        spec_of(model("Counter", field("hits", "integer", default=10**10)))


@pytest.mark.parametrize("name", ["Common", "Platform", "ApiKeys", "Associations", "Auth", "Health", "Router", "Crud",
                                  "Deps", "Cli", "Worker", "Samples", "Factories", "Conftest", "Main", "Base", "Session",
                                  "Security", "Config", "Errors", "Middleware", "Ratelimit"])
def test_every_model_name_reserved_by_a_template_module_is_rejected(name: str) -> None:
    message = error_of(model(name))
    assert_mentions(message, f"Model '{name}'", f"'{name}Entry'")


def test_reserved_module_message_names_the_file() -> None:
    message = error_of(model("Common"))
    assert_mentions(message, "Model 'Common'", "module name 'common'", "app/schemas/common.py", "'CommonEntry'")


@pytest.mark.parametrize("relation", ["tags", "categories", "status", "s"])
def test_spec_reserves_the_ids_field_the_design_generates(relation: str) -> None:
    from backend_squad.design import build_resources

    ids_field = naming.many_to_many_ids_field(relation)
    m2m = {"name": relation, "to": "Tag", "kind": "many_to_many"}
    resource = build_resources(spec_of(model("Post", relations=[m2m]), model("Tag")))
    assert next(r for r in resource if r.name == "Post").many_to_many[0].ids_field == ids_field
    message = error_of(model("Post", field(ids_field, "json"), relations=[m2m]), model("Tag"))
    assert_mentions(message, "Model 'Post'", f"relation '{relation}'", f"'{ids_field}'", "rename one of them")


def test_relation_named_owner_message_says_what_to_do() -> None:
    message = error_of(model("Post", relations=[{"name": "owner", "to": "User", "kind": "many_to_one"}]))
    assert_mentions(message, "Model 'Post'", "relation 'owner'", "'owner_id'", "built-in column", "'owner_ref'",
                    "owned: true")


def test_relation_adding_a_framework_attribute_is_rejected() -> None:
    message = error_of(model("Post", relations=[{"name": "model", "to": "Tag", "kind": "many_to_one"}]), model("Tag"))
    assert_mentions(message, "Model 'Post'", "relation 'model'", "'model_id'", "reserved by SQLAlchemy/Pydantic")


def test_one_to_many_from_a_model_named_owner_is_rejected_unless_the_child_links_back() -> None:
    pets = {"name": "pets", "to": "Pet", "kind": "one_to_many"}
    message = error_of(model("Owner", relations=[pets]), model("Pet"))
    assert_mentions(message, "Model 'Owner'", "relation 'pets'", "'owner_id'", "built-in column", "many_to_one")
    spec = spec_of(model("Owner", relations=[pets]),
                   model("Pet", relations=[{"name": "keeper", "to": "Owner", "kind": "many_to_one"}]))
    assert len(spec.models) == 2


def test_enum_class_clashing_with_another_model_is_rejected() -> None:
    message = error_of(model("Post", field("status", "enum", values=["a", "b"])), model("PostStatus"))
    assert_mentions(message, "Model 'Post'", "field 'status'", "'PostStatus'", "model 'PostStatus'", "'status_kind'")


def test_enum_class_clashing_with_an_imported_name_is_rejected() -> None:
    message = error_of(model("Utc", field("datetime", "enum", values=["a", "b"])))
    assert_mentions(message, "Model 'Utc'", "field 'datetime'", "'UtcDatetime'", "'datetime_kind'")


def test_enum_class_clash_message_says_rename() -> None:
    message = error_of(model("Post", field("read", "enum", values=["a", "b"])))
    assert_mentions(message, "Model 'Post'", "field 'read'", "'PostRead'", "not renamed automatically", "'read_kind'")


@pytest.mark.parametrize("options", [{"min": -(2**31) - 1}, {"max": 2**31}, {"max": 10**10}])
def test_integer_bounds_beyond_the_column_range_are_rejected(options: dict[str, Any]) -> None:
    message = error_of(model("Counter", field("hits", "integer", **options)))
    assert_mentions(message, "Model 'Counter'", "field 'hits'", "32-bit INTEGER column range", "-2147483648",
                    "2147483647")
    assert only_field(field("hits", "integer", min=-(2**31), max=2**31 - 1, default=2**31 - 1)).default == 2**31 - 1


def test_integer_default_beyond_the_column_range_says_the_range() -> None:
    message = error_of(model("Counter", field("hits", "integer", default=-(2**31) - 1)))
    assert_mentions(message, "Model 'Counter'", "field 'hits'", "default -2147483649", "32-bit INTEGER column range")


@pytest.mark.parametrize("kind", ["integer", "float", "decimal"])
@pytest.mark.parametrize("bound", ["min", "max"])
def test_non_finite_bounds_are_rejected(kind: str, bound: str) -> None:
    message = error_of(model("Price", field("amount", kind, **{bound: math.inf})))
    assert_mentions(message, "Model 'Price'", "field 'amount'", f"'{bound}' must be a finite number")


def test_non_finite_default_message_names_model_and_field() -> None:
    message = error_of(model("Price", field("amount", "float", default=-math.inf)))
    assert_mentions(message, "Model 'Price'", "field 'amount'", "default -inf is not a finite float")


@pytest.mark.parametrize(("options", "fragment"), [({"min": 1.5}, "min: 2"), ({"max": 9.5}, "max: 9"),
                                                    ({"min": -1.5}, "min: -1")])
def test_fractional_integer_bounds_are_rejected(options: dict[str, Any], fragment: str) -> None:
    message = error_of(model("Box", field("n", "integer", **options)))
    assert_mentions(message, "Model 'Box'", "field 'n'", "not a whole number", fragment)
    assert only_field(field("n", "float", **options)) is not None


def test_unsatisfiable_pattern_is_rejected_when_the_answers_are_validated() -> None:
    message = error_of(model("Code", field("ref", pattern=r"^(ab)\1z$")))
    assert_mentions(message, "Model 'Code'", "field 'ref'", "pattern", "give the field a 'default' that matches")
    assert only_field(field("ref", pattern=r"^(ab)\1z$", default="ababz")).default == "ababz"


def test_pattern_that_cannot_fit_max_length_is_rejected() -> None:
    message = error_of(model("Currency", field("iso", pattern="^[A-Z]{3}$", max_length=2)))
    assert_mentions(message, "Model 'Currency'", "field 'iso'", "at most 2 characters (max_length)", "'default'")


@pytest.mark.parametrize("pattern", [r"^[A-Z]{3}$", r"^\d{4}-\d{2}$", r"^(GET|POST)$", r"^[^\s@]+$", r"^x[a-c]?y+$",
                                     r"^(?=.*\d)[a-z0-9]{8}$", r"^[α-ω]{2}\.$"])
def test_patterns_get_samples_built_from_the_regex(pattern: str) -> None:
    import re

    from backend_squad.samples import sample_from_regex

    samples = [sample_from_regex(pattern, variant) for variant in range(12)]
    assert all(sample is not None and re.search(pattern, sample) for sample in samples), samples
    assert only_field(field("code", pattern=pattern)).pattern == pattern


def test_keywords_do_not_depend_on_the_interpreter() -> None:
    import keyword

    assert set(keyword.kwlist) == naming.PYTHON_KEYWORDS
    assert set(keyword.softkwlist) <= naming.PYTHON_SOFT_KEYWORDS == {"_", "case", "match", "type"}
    message = error_of(model("Post", field("type")))
    assert_mentions(message, "Model 'Post'", "field 'type'", "Python keyword", "'type_value'")
    assert not naming.python_keyword("print") and not naming.python_keyword("kind")


@pytest.mark.parametrize("email", ["dev@example.com", "a.b+c@mail.example.org", ""])
def test_author_email_accepted(email: str) -> None:
    assert spec_of(model(), author_email=email).author_email == email


@pytest.mark.parametrize("email", ["nobody", "dev@", "dev@example", "@example.com", "dev@example.", "a b@example.com"])
def test_author_email_rejected(email: str) -> None:
    message = error_of(model(), author_email=email)
    assert_mentions(message, f"author_email '{email}' is not an e-mail address", "dev@example.com")


def test_actions_are_validated_and_named_in_errors():
    from backend_squad.spec import SpecError, load_spec

    base = {"name": "Post", "fields": [{"name": "title", "type": "string"}]}
    spec = load_spec({"models": [base | {"actions": [{"name": "publish", "description": "Publish it", "method": "patch"}]}]})
    assert spec.models[0].actions[0].method.value == "PATCH"
    for bad, fragment in (
        ({"name": "Publish", "description": "x"}, "snake_case"),
        ({"name": "class", "description": "x"}, "Python keyword"),
        ({"name": "publish"}, "description"),
        ({"name": "publish", "description": "x", "method": "GET"}, "method"),
    ):
        with pytest.raises(SpecError) as excinfo:
            load_spec({"models": [base | {"actions": [bad]}]})
        assert "Model 'Post'" in str(excinfo.value) and fragment in str(excinfo.value)
    with pytest.raises(SpecError, match="declared twice"):
        load_spec({"models": [base | {"actions": [{"name": "a", "description": "x"}, {"name": "a", "description": "y"}]}]})


def test_a_soft_delete_model_cannot_declare_a_restore_action():
    """Its restore endpoint is generated; an action of the same name would take the same path."""
    from backend_squad.spec import SpecError, load_spec

    base = {"name": "Task", "fields": [{"name": "title", "type": "string"}],
            "actions": [{"name": "restore", "description": "Bring it back"}]}
    assert load_spec({"models": [base]}).models[0].actions[0].name == "restore"
    with pytest.raises(SpecError) as excinfo:
        load_spec({"models": [base | {"soft_delete": True}]})
    assert_mentions(str(excinfo.value), "Model 'Task'", "action 'restore' clashes", "'reinstate'")


def test_the_audit_log_module_name_is_reserved() -> None:
    """``AuditEvent`` is a built-in model (checked above); ``Audit`` would overwrite the audit log's modules."""
    assert "AuditEvent" in naming.BUILT_IN_MODELS
    assert_mentions(error_of(model("Audit")), "Model 'Audit'", "the module name 'audit'", "the audit log")


def test_model_names_are_short_enough_for_database_identifiers() -> None:
    longest = "A" + "b" * (naming.MAX_MODULE_LENGTH - 1)
    assert load_spec({"models": [model(longest)]}).models[0].name == longest
    message = error_of(model(longest + "c"))
    assert_mentions(message, "is too long", f"{naming.MAX_MODULE_LENGTH + 1} characters",
                    f"{naming.MAX_MODULE_LENGTH} or fewer")


# --------------------------------------------------------------------------- roles and permissions

PERMITTED = {"read": ["viewer", "editor"], "create": ["editor"], "delete": []}


def test_permissions_name_declared_roles_and_keep_the_answer_order() -> None:
    spec = spec_of(model("Post", permissions=PERMITTED), roles=["editor", "viewer"])
    assert spec.roles == ("editor", "viewer")
    assert spec.models[0].permissions.restricted == {"read": ("viewer", "editor"), "create": ("editor",), "delete": ()}
    from backend_squad.design import build_resources

    post = build_resources(spec)[0]
    # Design order follows the roles answer, whatever order the model lists them in.
    assert post.allowed_roles("read") == ("editor", "viewer")
    assert post.allowed_roles("update") is None
    assert post.denied_detail("read") == "Requires one of the roles: admin, editor, viewer."
    assert post.denied_detail("delete") == "Requires one of the roles: admin."
    assert post.denied_detail("update") is None
    # 403 is possible where a role check runs, and on writes to shared rows (admins only unless roles are listed).
    assert post.may_refuse("read") and post.may_refuse("update")
    owned = build_resources(spec_of(model("Post", owned=True, permissions={"create": []}), roles=["editor"]))[0]
    assert owned.may_refuse("create") and not owned.may_refuse("read") and not owned.may_refuse("update")


def test_permissions_may_not_name_an_undeclared_role() -> None:
    message = error_of(model("Post", permissions={"update": ["editr"]}), roles=["editor"])
    assert_mentions(message, "Model 'Post'", "permissions.update", "'editr'", "not in roles (editor)")
    # Without roles the stacks render no role checks, so permissions (even admins-only ones) need roles declared.
    assert_mentions(error_of(model("Post", permissions={"read": []})), "Model 'Post'", "permissions need roles")
    assert spec_of(model("Post", permissions={"read": []}), roles=["editor"]).models[0].permissions.read == ()


def test_permissions_reject_unknown_operations_and_repeated_roles() -> None:
    assert_mentions(error_of(model("Post", permissions={"publish": ["editor"]}), roles=["editor"]),
                    "Model 'Post'", "unknown option 'publish'")
    assert_mentions(error_of(model("Post", permissions={"read": ["editor", "editor"]}), roles=["editor"]),
                    "role 'editor' is listed twice")


@pytest.mark.parametrize(
    ("roles", "fragment"),
    [
        (["admin"], "'admin' is built in"),
        (["Editor"], "must be snake_case"),
        (["e" * 33], "at most 32 characters"),
        (["editor", "editor"], "listed twice"),
        ([f"r{index}" for index in range(17)], "at most 16 roles"),
        ({"editor": 1}, "YAML list of role names"),
    ],
)
def test_bad_roles_say_what_to_write(roles: Any, fragment: str) -> None:
    assert_mentions(error_of(model("Post"), roles=roles), fragment)
    from backend_squad.extension_api import roles_error

    assert fragment in roles_error(roles)


def test_no_roles_is_the_default_and_an_empty_answer_means_none() -> None:
    assert spec_of(model("Post")).roles == ()
    assert spec_of(model("Post"), roles=None).roles == ()
    from backend_squad.extension_api import roles_error

    assert roles_error([]) == "" and roles_error(["editor", "viewer"]) == ""


def test_the_saas_preset_models_drop_permissions_whose_roles_are_declined() -> None:
    """A person who answers ``roles: []`` keeps the saas models valid; those operations keep the default rule."""
    from backend_squad.presets import preset_models

    kept = preset_models("saas", ("editor", "viewer"))
    declined = preset_models("saas", ())
    assert [m.get("permissions") is not None for m in kept] == [True, True, True]
    assert all("permissions" not in m for m in declined)
    assert load_spec({"models": declined}).roles == ()
    assert "permissions" in PRESET_MODELS["saas"][0]  # the preset data itself is untouched


# --------------------------------------------------------------------------- multi-tenancy


def test_with_multi_tenant_every_model_is_tenant_scoped_unless_it_opts_out() -> None:
    from backend_squad.design import build_resources

    spec = spec_of(model("Post"), model("Plan", tenant_scoped=False), multi_tenant=True, roles=["editor"])
    assert [spec.is_tenant_scoped(m) for m in spec.models] == [True, False]
    assert [r.tenant_scoped for r in build_resources(spec)] == [True, False]
    assert spec.membership_roles == ("admin", "editor")
    # Without multi_tenant nothing is scoped, and memberships have no roles to offer.
    alone = spec_of(model("Post"), model("Plan", tenant_scoped=False), roles=["editor"])
    assert not any(r.tenant_scoped for r in build_resources(alone)) and alone.membership_roles == ()


def test_tenant_scoped_needs_multi_tenant() -> None:
    assert_mentions(error_of(model("Post", tenant_scoped=True)), "Model 'Post'", "tenant_scoped needs multi_tenant")
    assert spec_of(model("Post", tenant_scoped=True), multi_tenant=True).models[0].tenant_scoped


def test_a_shared_model_may_not_point_to_a_tenant_scoped_one() -> None:
    """A shared row holding a tenant's row id would show that row's id to every organization."""
    post, tag = model("Post"), model("Tag", tenant_scoped=False)
    shared_to_tenant = model("Tag", tenant_scoped=False, relations=[{"name": "post", "to": "Post", "kind": "many_to_one"}])
    assert_mentions(error_of(post, shared_to_tenant, multi_tenant=True), "Model 'Tag', relation 'post'",
                    "tenant_scoped: false", "'Post'")
    many = model("Tag", tenant_scoped=False, relations=[{"name": "posts", "to": "Post", "kind": "many_to_many"}])
    assert_mentions(error_of(post, many, multi_tenant=True), "Model 'Tag', relation 'posts'")
    # The other way round is fine: a tenant's row may point to a shared one (and to users).
    tenant_to_shared = model("Post", relations=[{"name": "tag", "to": "Tag", "kind": "many_to_one"},
                                          {"name": "editor", "to": "User", "kind": "many_to_one"}])
    assert spec_of(tenant_to_shared, tag, multi_tenant=True).multi_tenant
    # Without multi_tenant the opt-out is harmless.
    assert spec_of(post, shared_to_tenant).models[1].tenant_scoped is False


@pytest.mark.parametrize("name", ["Organization", "Membership", "Invitation", "Tenancy"])
def test_multi_tenant_projects_keep_their_own_organization_models(name: str) -> None:
    assert_mentions(error_of(model(name), multi_tenant=True), f"Model '{name}'", "with multi_tenant the project has",
                    f"'{name}Record'")
    assert spec_of(model(name)).models[0].name == name  # a single-tenant project may have one of its own


def test_the_saas_preset_is_multi_tenant_with_shared_plans() -> None:
    from backend_squad.extension_api import models_error
    from backend_squad.presets import preset_models, preset_option

    assert preset_option("saas", "multi_tenant") is True
    assert preset_option("blog", "multi_tenant") is False
    spec = load_spec({"models": preset_models("saas"), "roles": ["editor", "viewer"], "multi_tenant": True})
    assert {m.name: spec.is_tenant_scoped(m) for m in spec.models} == {"Project": True, "Task": True, "Plan": False}
    # The models question is validated with the multi_tenant answer given before it.
    assert models_error([model("Post", tenant_scoped=True)], None, "fastapi", [], True) == ""
    assert "tenant_scoped needs multi_tenant" in models_error([model("Post", tenant_scoped=True)], None, "fastapi", [])


def test_names_the_migrations_would_cut_or_refuse_are_refused_with_what_to_shorten() -> None:
    """MySQL refuses identifiers past 64 characters and PostgreSQL cuts them at 63: the foreign key of a long
    tenant-scoped model is the first to get there, and Drizzle's names are longer than SQLAlchemy's."""
    from backend_squad.extension_api import models_error

    long_name = model("WarehouseInventoryAdjustment", owned=True)  # its table has 31 characters
    assert models_error([long_name], None, "fastapi", [], False) == ""  # single-tenant: fk_..._owner_id_users fits
    message = models_error([long_name], None, "fastapi", [], True)
    assert_mentions(message, "Model 'WarehouseInventoryAdjustment'", "warehouse_inventory_adjustments.organization_id",
                    "'fk_warehouse_inventory_adjustments_organization_id_organizations' (64 characters)", "63")
    shorter = model("WarehouseAdjustment", owned=True)
    assert models_error([shorter], None, "fastapi", [], True) == ""
    # On Next.js drizzle-kit names the same key '<table>_<column>_<table>_id_fk'.
    shortest_refused = model("InventoryAdjustmentRecord", owned=True)
    assert models_error([shortest_refused], None, "fastapi", [], True) == ""
    assert_mentions(models_error([shortest_refused], None, "nextjs", [], True),
                    "'inventory_adjustment_records_organization_id_organizations_id_fk' (64 characters)")
    # A declared foreign key and a many-to-many link table count too.
    target = model("CustomerAccountPreference")
    linked = model("ShipmentTrackingEvent", relations=[{"name": "customer_account_preferences",
                                                        "to": "CustomerAccountPreference", "kind": "many_to_many"}])
    assert "shipment_tracking_events_customer_account_preferences" in models_error([target, linked], None, "fastapi",
                                                                                  [], False)


def test_table_and_column_names_past_63_characters_are_refused_with_what_to_shorten() -> None:
    """PostgreSQL cuts a longer column or table name silently and MySQL refuses it past 64, on both stacks."""
    from backend_squad.extension_api import models_error

    longest = "x" * 63
    for framework in ("fastapi", "nextjs"):
        assert models_error([model("Post", field(longest))], None, framework) == ""
        assert_mentions(models_error([model("Post", field(longest + "y"))], None, framework),
                        f"Model 'Post': the column posts.{longest}y has a name of 64 characters", "63",
                        f"shorten field '{longest}y'")
    # A many_to_one relation's column is its name + '_id'.
    relation = {"name": "a" * 61, "to": "Tag", "kind": "many_to_one"}
    assert_mentions(models_error([model("Post", relations=[relation]), model("Tag")], None, "fastapi"),
                    f"the column posts.{'a' * 61}_id has a name of 64 characters", f"shorten relation '{'a' * 61}'")
    # A many_to_many relation names its link table: 'posts_' + the relation's name.
    link = {"name": "t" * 58, "to": "Tag", "kind": "many_to_many"}
    assert_mentions(models_error([model("Post", relations=[link]), model("Tag")], None, "nextjs"),
                    f"the table posts_{'t' * 58} has a name of 64 characters", f"shorten relation '{'t' * 58}'")
    # Next.js also names a CHECK constraint after an enum field: ck_<table>_<field>_values.
    status = field("s" * 48, "enum", values=["a", "b"])
    assert models_error([model("Post", status)], None, "fastapi") == ""
    assert_mentions(models_error([model("Post", status)], None, "nextjs"),
                    f"the values check on posts.{'s' * 48} would be named 'ck_posts_{'s' * 48}_values' (64 characters)")
    assert models_error([model("Post", {**status, "name": "s" * 47})], None, "nextjs") == ""


@pytest.mark.parametrize("framework", ["fastapi", "nextjs"])
def test_models_whose_index_or_constraint_names_meet_are_refused_naming_both(framework: str) -> None:
    """``ix_orders_items_sku`` is orders.items_sku's index and orders_items.sku's: PostgreSQL and SQLite keep
    index names per database, so the second CREATE INDEX fails."""
    from backend_squad.extension_api import models_error

    sku = {"name": "items_sku", "type": "string", "max_length": 40}
    order = model("Order", {**sku, "index": True})
    orders_item = model("OrdersItem", {**sku, "name": "sku", "index": True})
    assert_mentions(models_error([order, orders_item], None, framework),
                    "Model 'OrdersItem': the index on orders_items.sku would be named 'ix_orders_items_sku'",
                    "like the index on orders.items_sku (in model 'Order')", "rename a field, relation or model")
    assert_mentions(models_error([model("Order", {**sku, "unique": True}),
                                  model("OrdersItem", {**sku, "name": "sku", "unique": True})], None, framework),
                    "'uq_orders_items_sku'", "the unique constraint on orders.items_sku (in model 'Order')")
    assert models_error([order, model("OrdersItem", {**sku, "name": "code", "index": True})], None, framework) == ""
    # Foreign keys: <table>_<column>_<referred>... from orders.items_customer_id and orders_items.customer_id.
    customer = model("Customer")
    order_links = model("Order", relations=[{"name": "items_customer", "to": "Customer", "kind": "many_to_one"}])
    item_links = model("OrdersItem", relations=[{"name": "customer", "to": "Customer", "kind": "many_to_one"}])
    foreign_key = ("orders_items_customer_id_customers_id_fk" if framework == "nextjs"
                   else "fk_orders_items_customer_id_customers")
    assert_mentions(models_error([customer, order_links, item_links], None, framework),
                    f"the foreign key orders_items.customer_id would be named '{foreign_key}', like the foreign key "
                    "orders.items_customer_id (in model 'Order')")


def test_a_many_to_many_table_and_a_model_table_of_the_same_name_are_refused() -> None:
    from backend_squad.extension_api import models_error

    post = model("Post", relations=[{"name": "tags", "to": "Tag", "kind": "many_to_many"}])
    assert_mentions(models_error([post, model("Tag"), model("PostsTag")], None, "fastapi"),
                    "Model 'PostsTag': its table would be named 'posts_tags', like the table of relation 'tags' "
                    "(in model 'Post')")


def test_names_of_the_projects_own_tables_count_too() -> None:
    """A model's table may not take the name of a table an auth method or integration adds, even one not chosen
    yet; the tenancy tables only count in multi-tenant projects."""
    from backend_squad.extension_api import models_error

    for framework in ("fastapi", "nextjs"):
        assert_mentions(models_error([model("WebhookDelivery")], None, framework),
                        "Model 'WebhookDelivery': its table would be named 'webhook_deliveries', like the table "
                        "webhook_deliveries (one of the project's own tables")
        assert models_error([model("Invitation")], None, framework) == ""


def _literal_names(source: str) -> set[str]:
    import re

    return set(re.findall(r'"((?:ix|uq|pk|fk)_[a-z0-9_]+)"', source))


def test_the_fixed_table_names_match_the_fastapi_migrations_and_the_drizzle_schema() -> None:
    """db_names lists the project's own tables' names by hand: these sources are what it must match."""
    import re
    from pathlib import Path

    from backend_squad.codegen.drizzle_source import drizzle_schema
    from backend_squad.db_names import fixed_identifiers
    from backend_squad.design import ApiDesign
    from backend_squad.spec import Framework

    versions = Path(__file__).resolve().parent.parent / "template" / "{% if framework == 'fastapi' %}migrations{% endif %}" / "versions"
    migrations = "\n".join(path.read_text() for path in sorted(versions.iterdir()))
    # The fk() macro's calls, written out as the names they render.
    calls = re.findall(r'fk\("([a-z_]+)", "([a-z_]+)", "([a-z_]+)\.id"', migrations)
    calls += [(table, "organization_id", "organizations") for table in re.findall(r'organization_fk\("([a-z_]+)"\)', migrations)]
    fastapi = _literal_names(migrations) | {f"fk_{table}_{column}_{referred}" for table, column, referred in calls}
    tables = set(re.findall(r'op\.create_table\(\s*"([a-z_]+)"', migrations))
    assert {name for name, _ in fixed_identifiers(Framework.FASTAPI, True)} == fastapi | tables

    api = ApiDesign(title="t", version="1", api_prefix="/api", versioning={}, resources=(), association_tables=(),
                    openapi={}, pydantic_schemas={}, zod_schemas={}, multi_tenant=True)
    schema = drizzle_schema(api, "postgresql", ("checkout", "subscriptions", "webhooks", "customer_portal"),
                            webhooks=True, magic_links=True, oauth=True, plans=True, sessions=True)
    nextjs = {name for name, _ in fixed_identifiers(Framework.NEXTJS, True)}
    assert {name for name in nextjs if not name.endswith("_fk")} == _literal_names(schema) | set(
        re.findall(r'Table\(\s*"([a-z_]+)"', schema))
    assert len([name for name in nextjs if name.endswith("_fk")]) == schema.count(".references(")


def test_oauth_needs_a_provider_and_its_tables_names_are_reserved() -> None:
    spec = spec_of(model("Post"), auth_methods=["password_jwt", "oauth"], oauth_providers=["github", "github"])
    assert spec.chosen_oauth_providers == ("github",)
    assert spec_of(model("Post")).chosen_oauth_providers == ()  # the default list renders nothing without oauth
    assert_mentions(error_of(model("Post"), auth_methods=["password_jwt", "oauth"], oauth_providers=[]),
                    "oauth_providers must name at least one of google, github, microsoft, auth0")
    assert "OauthAccount" in naming.BUILT_IN_MODELS and "OAuthLoginCode" in naming.BUILT_IN_MODELS
    assert_mentions(error_of(model("Oauth")), "the module name 'oauth'")


# --------------------------------------------------------------------------- created_by / updated_by


def test_track_authors_reaches_the_design_the_read_schema_and_the_openapi_document() -> None:
    """Only the models that ask for them get the two user-id columns, read-only: no write schema carries them."""
    from backend_squad.codegen.pydantic_source import pydantic_module
    from backend_squad.design import build_resources
    from backend_squad.openapi import resource_components

    tracked, plain = build_resources(spec_of(model("Post", track_authors=True), model("Note")))
    assert (tracked.track_authors, plain.track_authors) == (True, False)
    components = resource_components(tracked)
    read = components["PostRead"]
    assert read["properties"]["created_by"]["type"] == ["integer", "null"]
    assert {"created_by", "updated_by"} <= set(read["required"])
    for write in ("PostCreate", "PostUpdate"):
        assert not {"created_by", "updated_by"} & set(components[write]["properties"])
        assert components[write]["additionalProperties"] is False  # so a body that sends them is refused
    assert "created_by" not in resource_components(plain)["NoteRead"]["properties"]
    source = pydantic_module(tracked)
    assert "    created_by: int | None\n    updated_by: int | None" in source.split("class PostRead(")[1]
    assert "ForeignKey" in " ".join(tracked.model_imports)


@pytest.mark.parametrize("name", ["created_by", "updated_by"])
def test_track_authors_takes_its_column_names(name: str) -> None:
    assert spec_of(model("Post", field("title"), field(name, "integer"))).models[0].fields[1].name == name
    message = error_of(model("Post", field("title"), field(name, "integer"), track_authors=True))
    assert_mentions(message, "Model 'Post'", f"field '{name}' is added by 'track_authors: true'")
    message = error_of(model("Post", relations=[{"name": name, "to": "User", "kind": "many_to_one"}], track_authors=True))
    assert_mentions(message, "Model 'Post'", f"relation '{name}'", "'track_authors: true' already uses")


def test_a_model_may_not_take_the_name_of_an_account_route_body() -> None:
    assert spec_of(model("Role"), model("UserPlan")).models[0].name == "Role"
    assert_mentions(error_of(model("Role"), roles=["editor"]), "Model 'Role'", "'RoleUpdate'", "PUT /users/{user_id}/role",
                    "'RoleEntry'")
    assert_mentions(error_of(model("UserPlan"), rate_limiting=True), "Model 'UserPlan'", "'UserPlanUpdate'")
