"""The compiled schema check answers exactly as ``jsonschema`` does, on valid problems and on broken ones.

The engine trusts a "valid" from the compiled check without asking
``jsonschema``: a problem it wrongly let through would reach the encoder.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from matching.schema_check import Unsupported, compile_schema
from matching.validation import _schema

SCHEMA = _schema()
REFERENCE = Draft202012Validator(SCHEMA)
CHECK = compile_schema(SCHEMA)

# One record of every kind with every field the schema knows, so that each field can be broken alone.
PROBLEM = {
    "version": 1,
    "settings": {
        "min_language_level": "A2",
        "alternatives": 3,
        "min_score": 0.1,
        "hours_per_sponsorship": 4,
        "served_elsewhere": ["driving"],
    },
    "localities": [{"id": "soest", "lat": 51.57, "lon": 8.11}],
    "volunteers": [
        {
            "id": "v-1",
            "gender": "f",
            "age": 40,
            "languages": {"de": "native", "ar": "B1"},
            "offers": ["mentoring", "driving"],
            "availability": ["mon-evening"],
            "locality": "soest",
            "travel_km": 10,
            "capacity": 2,
            "accepts_genders": ["f", "m"],
            "clearance": True,
            "max_groups": 1,
            "group_preferences": ["mobility"],
            "interests": ["football"],
            "commitment": "6_months",
            "hours_per_month": 8,
            "committed_hours": 2,
        }
    ],
    "mentees": [
        {
            "id": "m-1",
            "gender": "m",
            "age": 30,
            "household_size": 3,
            "involves_minors": True,
            "languages": {"ar": "native"},
            "needs": ["mentoring"],
            "availability": ["mon-evening"],
            "locality": "soest",
            "travel_km": 0,
            "preferred_mentor_gender": None,
            "interests": ["football"],
            "urgent_needs": ["mentoring"],
        }
    ],
    "locked": [{"volunteer": "v-1", "mentee": "m-1"}],
    "excluded": [{"volunteer": "v-1", "mentee": "m-1"}],
    "groups": [{"id": "mobility", "requires_offer": "driving", "capacity": 2, "language_quota": {"ar": 1}}],
}
EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "matching" / "example-problem.json").read_text("utf-8"))

# Values a field is given: of every JSON type, at and beyond the schema's bounds, its codes and near misses.
SCALARS = [None, True, False, -1, -0.5, 0, 0.0, 0.5, 1, 1.0, 2.5, 3, 20, 21, -91, 91, 181, 744, 745, 1000, 1001]
SCALARS += [1_000_000, 1_000_001, 1e308, "", "f", "m", "d", "x", "de", "ar", "xxxx", "A2", "C2", "native", "b2"]
SCALARS += ["mon-evening", "sun-noon", "6_months", "2_months", "driving"]
VALUES = [*SCALARS, [], ["f"], ["x"], ["mon-evening"], ["sun-noon"], [1], [None]]
VALUES += [{}, {"ar": "B2"}, {"ar": "Z"}, {"xxxx": "B2"}, {"AR": "B2"}, {"ar": 1}, {"ar": -1}, {"ar": 1.5}]
SECTIONS = [None, "settings", "localities", "volunteers", "mentees", "locked", "excluded", "groups"]


def _record(problem: dict, section: str | None) -> dict | None:
    """The problem itself, its settings, or the first record of a section (None if an earlier change
    removed it or made it something else)."""
    found = problem if section is None else problem.get(section)
    found = found[0] if isinstance(found, list) and found else found
    return found if isinstance(found, dict) and found else None


def _variants(record: dict):
    """Every field of a record (and one it does not have) set to every value or removed, and each list's
    first item or a mapping's new entry set to every scalar: (description, change, undo)."""
    for field in [*record, "unknown"]:
        had, old = field in record, record.get(field)

        def undo(field=field, had=had, old=old) -> None:
            record.pop(field, None)
            if had:
                record[field] = copy.deepcopy(old)

        yield f"{field} removed", lambda field=field: record.pop(field, None), undo
        for value in VALUES:
            yield f"{field} = {value!r}", lambda field=field, value=value: record.__setitem__(field, value), undo
        for value in SCALARS:
            if isinstance(old, list) and old:
                change = lambda field=field, value=value: record[field].__setitem__(0, value)  # noqa: E731
                yield f"{field}[0] = {value!r}", change, undo
            if isinstance(old, dict):
                for key in ("ar", "xxxx", ""):
                    change = lambda field=field, key=key, value=value: record[field].__setitem__(key, value)  # noqa: E731
                    yield f"{field}.{key} = {value!r}", change, undo


def test_the_problems_are_valid_to_both() -> None:
    assert REFERENCE.is_valid(PROBLEM) and CHECK(PROBLEM)
    assert REFERENCE.is_valid(EXAMPLE) and CHECK(EXAMPLE)


@pytest.mark.parametrize("section", SECTIONS, ids=lambda section: section or "problem")
def test_every_field_broken_alone_gets_the_same_answer(section: str | None) -> None:
    problem = copy.deepcopy(PROBLEM)
    record = _record(problem, section)
    disagreements, invalid = [], 0
    for description, change, undo in _variants(record):
        change()
        expected = REFERENCE.is_valid(problem)
        invalid += not expected
        if CHECK(problem) != expected:
            disagreements.append(f"{description}: jsonschema says {'valid' if expected else 'invalid'}")
        undo()
    assert REFERENCE.is_valid(problem)  # every change was undone
    assert not disagreements
    assert invalid > 10  # the variants do break it


@settings(max_examples=300, deadline=None)
@given(
    changes=st.lists(
        st.tuples(st.sampled_from(SECTIONS), st.integers(0, 10**6), st.integers(0, 10**6)), min_size=2, max_size=4
    )
)
def test_several_fields_broken_at_once_get_the_same_answer(changes: list[tuple[str | None, int, int]]) -> None:
    problem = copy.deepcopy(PROBLEM)
    for section, field_index, variant_index in changes:
        record = _record(problem, section)
        if record is None:
            continue
        field = sorted(record)[field_index % len(record)]
        record[field] = VALUES[variant_index % len(VALUES)]
    assert CHECK(problem) == REFERENCE.is_valid(problem)


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "format": "date"},
        {"anyOf": [{"type": "string"}, {"type": "null"}]},
        {"$ref": "https://example.org/other.json"},
        {"enum": ["a", 1]},
    ],
)
def test_a_keyword_it_does_not_know_is_refused_at_compile_time(schema: dict) -> None:
    # validation then falls back to jsonschema for everything
    with pytest.raises(Unsupported):
        compile_schema(schema)
