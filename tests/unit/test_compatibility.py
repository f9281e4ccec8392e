"""Compatibility verdicts come from Avro's checker; the messages must say which field and where."""

from __future__ import annotations

import copy
import json

import pytest

from streams.compatibility import (
    InvalidSchemaError,
    backward_problems,
    forward_problems,
    full_problems,
    is_compatible,
    parse,
    problems,
)

V1 = {
    "type": "record",
    "name": "PremisesInspected",
    "namespace": "onething.test",
    "fields": [
        {"name": "case_id", "type": "string"},
        {"name": "inspector", "type": "string"},
        {"name": "score", "type": "int"},
    ],
}


def evolve(schema: dict, **changes) -> dict:
    """A copy of schema with fields added (add=[...]), removed (drop=[...]) or retyped."""
    new = copy.deepcopy(schema)
    drop = set(changes.pop("drop", []))
    new["fields"] = [f for f in new["fields"] if f["name"] not in drop]
    new["fields"] += changes.pop("add", [])
    for f in new["fields"]:
        if f["name"] in changes:
            f["type"] = changes[f["name"]]
    return new


def test_parse_accepts_text_and_dicts_and_rejects_nonsense():
    assert parse(V1).fullname == parse(json.dumps(V1)).fullname == "onething.test.PremisesInspected"
    with pytest.raises(InvalidSchemaError):
        parse('{"type": "record", "name": "Broken"')
    with pytest.raises(InvalidSchemaError):
        parse({"type": "no-such-type"})


def test_identical_schemas_are_compatible_at_every_level():
    for level in ("BACKWARD", "FORWARD", "FULL", "FULL_TRANSITIVE", "NONE"):
        assert problems(level, V1, [V1]) == []


def test_added_field_with_default_is_backward_and_forward_compatible():
    v2 = evolve(V1, add=[{"name": "premises_area_m2", "type": "double", "default": 0.0}])
    assert backward_problems(v2, V1) == []
    assert forward_problems(v2, V1) == []
    assert full_problems(v2, V1) == []


def test_added_field_without_default_fails_backward_naming_the_field():
    v2 = evolve(V1, add=[{"name": "premises_area_m2", "type": "double"}])
    assert backward_problems(v2, V1) == [
        "field 'premises_area_m2' (at /fields/3) has no default and is missing from the old schema"
    ]
    # Old readers simply skip the new field.
    assert forward_problems(v2, V1) == []


def test_removed_field_is_backward_compatible_but_not_forward():
    v2 = evolve(V1, drop=["inspector"])
    assert backward_problems(v2, V1) == []
    [problem] = forward_problems(v2, V1)
    assert "'inspector'" in problem and "/fields/1" in problem and "old schema" in problem
    assert "missing from the new schema" in problem


def test_type_change_int_to_string_fails_both_ways():
    v2 = evolve(V1, score="string")
    [backward] = backward_problems(v2, V1)
    assert "'score'" in backward and "/fields/2/type" in backward
    assert "string" in backward and "int" in backward
    assert forward_problems(v2, V1)


def test_type_promotion_int_to_long_is_backward_only():
    v2 = evolve(V1, score="long")
    assert backward_problems(v2, V1) == []
    assert forward_problems(v2, V1)  # an old int reader cannot read a long


def test_every_problem_is_reported_with_its_own_location():
    v2 = evolve(
        V1,
        score="string",
        add=[{"name": "a", "type": "int"}, {"name": "b", "type": "int"}],
    )
    found = backward_problems(v2, V1)
    assert len(found) == 3
    assert any("'score' (at /fields/2/type)" in p for p in found)
    assert any("'a' (at /fields/3)" in p for p in found)
    assert any("'b' (at /fields/4)" in p for p in found)


def test_nested_record_inside_a_nullable_union_is_explained_by_path():
    address = {"type": "record", "name": "Address", "fields": [{"name": "street", "type": "string"}]}
    old = evolve(V1, add=[{"name": "address", "type": ["null", address], "default": None}])
    new_address = copy.deepcopy(address)
    new_address["fields"].append({"name": "postcode", "type": "string"})
    new = evolve(V1, add=[{"name": "address", "type": ["null", new_address], "default": None}])
    assert backward_problems(new, old) == [
        "field 'address.postcode' (at /fields/3/type/1/fields/1) has no default "
        "and is missing from the old schema"
    ]


def test_enum_losing_a_symbol_names_the_symbol():
    old = evolve(V1, add=[{"name": "grade", "type": {"type": "enum", "name": "G", "symbols": ["A", "B"]}}])
    new = evolve(V1, add=[{"name": "grade", "type": {"type": "enum", "name": "G", "symbols": ["A"]}}])
    [problem] = backward_problems(new, old)
    assert "'grade'" in problem and "['B']" in problem


def test_full_needs_both_directions():
    removed = evolve(V1, drop=["inspector"])
    assert problems("BACKWARD", removed, [V1]) == []
    assert problems("FULL", removed, [V1]) == forward_problems(removed, V1) != []


def test_non_transitive_levels_look_at_the_latest_schema_only():
    # v2 dropped "score"; v3 brings it back as a string with a default: it reads v2's data, not v1's.
    v2 = evolve(V1, drop=["score"])
    v3 = evolve(v2, add=[{"name": "score", "type": "string", "default": ""}])
    assert problems("BACKWARD", v3, [V1, v2]) == []
    transitive = problems("BACKWARD_TRANSITIVE", v3, [V1, v2])
    assert len(transitive) == 1
    assert transitive[0].startswith("version 1: field 'score'")
    assert not is_compatible("FULL_TRANSITIVE", v3, [V1, v2])


def test_forward_transitive_checks_every_old_reader():
    v2 = evolve(V1, add=[{"name": "note", "type": "string", "default": ""}])
    v3 = evolve(v2, drop=["note"])  # v2 readers miss "note" but have a default for it
    assert problems("FORWARD_TRANSITIVE", v3, [V1, v2]) == []
    v4 = evolve(V1, drop=["inspector"])
    assert [p[:10] for p in problems("FORWARD_TRANSITIVE", v4, [V1, v2])] == [
        "version 1:",
        "version 2:",
    ]


def test_none_and_empty_history_accept_anything():
    assert problems("NONE", evolve(V1, score="string"), [V1]) == []
    assert problems("FULL_TRANSITIVE", V1, []) == []


def test_unknown_level_is_an_error():
    with pytest.raises(ValueError, match="SIDEWAYS"):
        problems("SIDEWAYS", V1, [V1])
