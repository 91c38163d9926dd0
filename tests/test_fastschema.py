"""fastschema answers exactly what jsonschema answers, on real files and on mutations of them.

schema.validate trusts fastschema's "valid" and asks jsonschema only otherwise, so a
disagreement in either direction would either let an invalid file through or change
nothing (invalid→jsonschema anyway). The first direction is the dangerous one; both are
checked here, on every YAML of the repository and on thousands of random edits of them.
"""
from __future__ import annotations

import copy
import random

import jsonschema
import pytest

from conftest import EXAMPLES, ROOT
from vbtool import DATA
from vbtool.fastschema import Unsupported, compile_schema
from vbtool.loader import load_file, load_text
from vbtool.schema import load_schema, validate
from vbtool.skeleton import skeleton


def corpus() -> list[tuple[str, object, str]]:
    """(name, data, schema) of every document we have."""
    out = [(p.name, load_file(p).data, "van-ban.schema.json") for p in sorted(EXAMPLES.glob("*.yaml"))]
    out += [(p.name, load_file(p).data, "profile.schema.json") for p in sorted((DATA / "profiles").glob("*.yaml"))]
    out += [(p.name, load_file(p).data, "don-vi.schema.json") for p in sorted((ROOT / "drafts" / "don-vi").glob("*.yaml"))]
    for loai in ("ke_hoach", "bao_cao"):
        for the_thuc in ("nha_nuoc", "dang"):
            out.append((f"skeleton-{loai}-{the_thuc}", load_text(skeleton(loai, the_thuc), "s.yaml").data,
                        "van-ban.schema.json"))
    return out


ODD_VALUES = [None, "", " ", "x", "I.", "nha_nuoc", "dang", "ke_hoach", "abc-1", "Abc", 0, 1, -1, 2.5, 3.0, True,
              False, [], [""], ["x"], {}, {"x": 1}, {"chu": "x"}, [{"chu": "x"}], 2024, "2024-01-01"]


def _containers(data, path=()):
    yield path, data
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for k, v in items:
        if isinstance(v, (dict, list)):
            yield from _containers(v, path + (k,))


def _enum_values(schema) -> list:
    found = []

    def walk(x):
        if isinstance(x, dict):
            for k, v in x.items():
                if k == "enum":
                    found.extend(v)
                else:
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(schema)
    return found


def mutate(data, rng: random.Random, values: list):
    """One random edit: drop, add, retype or swap a value, somewhere in the tree."""
    data = copy.deepcopy(data)
    containers = list(_containers(data))
    _, c = rng.choice(containers)
    op = rng.random()
    if isinstance(c, dict):
        keys = list(c)
        if not keys or op < 0.15:
            c[rng.choice(["x", "ten", "chu", "id", "so", "nhom", "noi_dung", 5])] = rng.choice(values)
        elif op < 0.35:
            del c[rng.choice(keys)]
        else:
            c[rng.choice(keys)] = rng.choice(values)
    elif isinstance(c, list):
        if not c or op < 0.2:
            c.append(rng.choice(values))
        elif op < 0.4:
            c.pop(rng.randrange(len(c)))
        elif op < 0.5:
            c.append(copy.deepcopy(rng.choice(c)))
        else:
            c[rng.randrange(len(c))] = rng.choice(values)
    return data


def test_every_shipped_schema_compiles():
    for p in sorted((DATA / "schemas").glob("*.json")):
        compile_schema(load_schema(p.name))      # raises Unsupported if a keyword is missing


@pytest.mark.parametrize("name,data,schema", corpus(), ids=lambda x: x if isinstance(x, str) else "")
def test_real_files_agree(name, data, schema):
    expected = jsonschema.Draft202012Validator(load_schema(schema)).is_valid(data)
    assert compile_schema(load_schema(schema))(data) is expected
    assert expected, f"{name} should be valid"


def test_mutations_agree():
    rng = random.Random(15)
    outcomes = {True: 0, False: 0}
    for name, data, schema_name in corpus():
        schema = load_schema(schema_name)
        fast, slow = compile_schema(schema), jsonschema.Draft202012Validator(schema)
        values = ODD_VALUES + _enum_values(schema)
        for _ in range(100):
            m = data
            for _ in range(rng.choice((1, 1, 2, 3))):
                m = mutate(m, rng, values)
            expected = slow.is_valid(m)
            assert fast(m) is expected, (name, m)
            outcomes[expected] += 1
    # the mutations exercise both answers, many times each
    assert outcomes[True] > 200 and outcomes[False] > 400, outcomes


@pytest.mark.parametrize("schema,instance,valid", [
    ({"type": "integer"}, 3.0, True), ({"type": "integer"}, True, False), ({"type": "number"}, False, False),
    ({"enum": ["a", 1]}, True, False), ({"enum": [1]}, 1.0, True), ({"enum": [True]}, 1, False),
    ({"minimum": 2}, True, True), ({"pattern": "^a"}, 5, True), ({"pattern": "b"}, "abc", True),
    ({"propertyNames": {"pattern": "^[a-z]+$"}}, {1: "x"}, True), ({"propertyNames": {"type": "string"}}, {1: 0}, False),
    ({"required": ["a"]}, ["a"], True), ({"items": False}, [], True), ({"items": False}, [1], False),
    ({"oneOf": [{"type": "integer"}, {"type": "number"}]}, 1, False),
    ({"$defs": {"n": {"type": "array", "items": {"$ref": "#/$defs/n"}}}, "$ref": "#/$defs/n"}, [[[]], []], True),
    ({"$defs": {"n": {"type": "array", "items": {"$ref": "#/$defs/n"}}}, "$ref": "#/$defs/n"}, [[[1]]], False),
])
def test_keyword_semantics_match_jsonschema(schema, instance, valid):
    assert jsonschema.Draft202012Validator(schema).is_valid(instance) is valid
    assert compile_schema(schema)(instance) is valid


def test_unknown_keyword_falls_back():
    with pytest.raises(Unsupported):
        compile_schema({"type": "object", "properties": {"a": {"dependentRequired": {"b": ["c"]}}}})
    with pytest.raises(Unsupported):
        compile_schema({"$ref": "other.json#/x"})


@pytest.mark.parametrize("schema,good,bad", [
    ({"const": 1}, 1, True),
    ({"if": {"properties": {"k": {"const": "a"}}}, "then": {"required": ["n"]}, "else": {"required": ["m"]}},
     {"k": "a", "n": 1}, {"k": "a", "m": 1}),
    ({"type": "string", "x-cac-dang": "annotation only"}, "x", 1),
])
def test_const_if_then_else_and_annotations_agree_with_jsonschema(schema, good, bad):
    import jsonschema
    check = compile_schema(schema)
    for value in (good, bad):
        assert check(value) == jsonschema.Draft202012Validator(schema).is_valid(value), value
    assert check(good) and not check(bad)


def test_invalid_document_still_gets_jsonschema_messages():
    src = load_text("loai: ke_hoach\nthe_thuc: nha_nuoc\nso: [1]\n", "x.yaml")
    problems = validate(src, "van-ban.schema.json")
    texts = [p.message for p in problems]
    assert any("thiếu trường bắt buộc" in t for t in texts)
    assert any(t.startswith("phải là") and "danh sách" in t for t in texts)
