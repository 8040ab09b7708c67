"""Validation of a matching problem.

Two layers, both reporting the *first* offending field as a path such as
``volunteers[3].languages.xx``:

1. the JSON Schema (``problem.schema.json``, shipped inside the package);
2. rules a schema cannot express: unique ids, references to localities,
   volunteers and mentees that exist, a mentee locked at most once, finite
   numbers (Python's ``json`` accepts ``NaN`` and ``Infinity``).

Unknown keys are ignored everywhere, as the contract demands.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .schema_check import Check, Unsupported, compile_schema


class ProblemError(ValueError):
    """An invalid problem; ``str(error)`` starts with the offending field path."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@lru_cache(maxsize=1)
def _schema() -> dict:
    return json.loads(resources.files("matching").joinpath("problem.schema.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _quick_check() -> Check | None:
    try:
        return compile_schema(_schema())
    except Unsupported:
        return None


def format_path(parts: Iterable[str | int]) -> str:
    """``["volunteers", 3, "languages", "xx"]`` -> ``volunteers[3].languages.xx``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(problem)"


def _document_position(instance: Any, parts: Sequence[str | int]) -> tuple[int, ...]:
    """Position of a path in document order, so that "first" means first in the file."""
    position = []
    node = instance
    for part in parts:
        if isinstance(node, list) and isinstance(part, int):
            position.append(part)
            node = node[part] if part < len(node) else None
        elif isinstance(node, dict):
            keys = list(node)
            # A missing (required) key sorts after the keys that are present.
            position.append(keys.index(part) if part in keys else len(keys))
            node = node.get(part)
        else:
            position.append(0)
    return tuple(position)


def _describe(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def _schema_error(error: ValidationError) -> tuple[list[str | int], str]:
    """Turn a jsonschema error into (path, human message)."""
    path: list[str | int] = list(error.absolute_path)
    keyword = error.validator
    schema_path = list(error.absolute_schema_path)
    value = error.instance
    if keyword == "required":
        missing = next(name for name in error.validator_value if name not in value)
        return path + [missing], "required field is missing"
    if "propertyNames" in schema_path:
        return path + [value], f"invalid language code {_describe(value)}"
    if keyword == "oneOf":  # only preferred_mentor_gender: null or a gender
        return path, f"unknown gender {_describe(value)}"
    if keyword == "enum":
        kind = "level" if "A1" in error.validator_value else "gender" if "f" in error.validator_value else "commitment"
        return path, f"unknown {kind} {_describe(value)}"
    if keyword == "pattern":
        return (
            path,
            f"invalid slot {_describe(value)}"
            if "morning" in error.validator_value
            else f"invalid value {_describe(value)}",
        )
    if keyword == "type":
        return path, f"expected {error.validator_value}, got {_describe(value)}"
    if keyword == "const":
        return path, f"must be {error.validator_value!r}, got {_describe(value)}"
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "minLength"):
        return path, f"{_describe(value)} is out of range ({keyword} {error.validator_value})"
    return path, error.message


def _check_schema(problem: Any) -> None:
    quick = _quick_check()
    if quick is not None and quick(problem):
        return
    errors = [_schema_error(error) for error in Draft202012Validator(_schema()).iter_errors(problem)]
    if errors:
        path, message = min(errors, key=lambda item: (_document_position(problem, item[0]), item[1]))
        raise ProblemError(format_path(path), message)


def _check_unique_ids(items: list[dict], section: str) -> set[str]:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item["id"] in seen:
            raise ProblemError(f"{section}[{index}].id", f"duplicate id {_describe(item['id'])}")
        seen.add(item["id"])
    return seen


def _check_finite(value: Any, path: str) -> None:
    """Refuse NaN and the infinities (Python's ``json`` reads them) and integers no float can hold (a
    caller's dict can carry them; the engine computes distances and hours in floats)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an integer beyond about 1.8e308
        raise ProblemError(path, "must be a finite number, got an integer too large for a float") from None
    if not finite:
        raise ProblemError(path, f"must be a finite number, got {value!r}")


def _check_references(problem: dict) -> None:
    localities = _check_unique_ids(problem["localities"], "localities")
    for index, locality in enumerate(problem["localities"]):
        _check_finite(locality["lat"], f"localities[{index}].lat")
        _check_finite(locality["lon"], f"localities[{index}].lon")
    for setting in ("min_score", "hours_per_sponsorship"):
        _check_finite(problem.get("settings", {}).get(setting), f"settings.{setting}")
    known: dict[str, set[str]] = {}
    for section in ("volunteers", "mentees"):
        known[section] = _check_unique_ids(problem[section], section)
        for index, person in enumerate(problem[section]):
            for number in ("travel_km", "hours_per_month", "committed_hours"):
                _check_finite(person.get(number), f"{section}[{index}].{number}")
            if person["locality"] not in localities:
                raise ProblemError(f"{section}[{index}].locality", f"unknown locality {_describe(person['locality'])}")
    locked_mentees: dict[str, str] = {}
    for section in ("locked", "excluded"):
        for index, pair in enumerate(problem.get(section, [])):
            for role, people in (("volunteer", "volunteers"), ("mentee", "mentees")):
                if pair[role] not in known[people]:
                    raise ProblemError(f"{section}[{index}].{role}", f"unknown {role} {_describe(pair[role])}")
            if section == "locked":
                if pair["mentee"] in locked_mentees:
                    raise ProblemError(
                        f"locked[{index}].mentee",
                        f"mentee {_describe(pair['mentee'])} is already locked to "
                        f"{_describe(locked_mentees[pair['mentee']])}",
                    )
                locked_mentees[pair["mentee"]] = pair["volunteer"]
    _check_unique_ids(problem.get("groups", []), "groups")


def validate(problem: Any) -> None:
    """Raise :class:`ProblemError` naming the first offending field, or return None."""
    _check_schema(problem)
    _check_references(problem)
