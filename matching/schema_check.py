"""A fast yes/no check against the JSON Schema, compiled into Python closures.

``jsonschema`` interprets the schema on every node and needs about 0.15 ms
per person: 10 s for 70,000 people, the whole time budget of a large run.
This module compiles the schema once into nested closures (the approach of
``fastjsonschema``, which is not a dependency) that only answer "valid?".
``jsonschema`` stays the authority: it runs whenever this check says no,
to produce the precise error message, and always if the schema uses a
keyword this compiler does not know (:class:`Unsupported` at compile time).
So a "no" that should have been "yes" costs only time (a ``str`` subclass,
say, which the checks of whole lists do not accept), while a "yes" must
never be wrong: ``tests/matching/test_schema_check.py`` breaks every field
alone and several at once and compares the answers.

A node's checks are as few calls as possible: its type is checked by the
check of the keyword it goes with (a pattern and a string, bounds and a
number), and a list of strings or of codes is checked whole, by set
operations in C (70,000 people: 1.0–1.1 s -> 0.7–0.8 s, the two measured
in turns on one machine).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]
ANNOTATIONS = {"$schema", "$id", "$defs", "title", "description", "$comment", "default", "examples"}


class Unsupported(Exception):
    """The schema uses a keyword this compiler does not handle."""


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": _is_number,
    "integer": lambda v: _is_number(v) and (isinstance(v, int) or v.is_integer()),
}


def _all(checks: list[Check]) -> Check:
    def check(value: Any) -> bool:
        for one in checks:  # a plain loop: generator expressions cost more than the checks
            if not one(value):
                return False
        return True

    return check


# Each keyword's check below also checks the node's type where the node asks for the type the keyword
# applies to (``strict``): one call per value instead of two. Without it, as JSON Schema says, a value
# of another type passes the keyword.


def _items(item: Check, strict: bool, whole: Callable[[list], bool] | None) -> Check:
    """Every item passes ``item``; ``whole``, if given, answers that for an entire list in C."""
    if whole is not None:

        def check_whole(value: Any) -> bool:
            if not isinstance(value, list):
                return not strict
            return whole(value)

        return check_whole

    def check(value: Any) -> bool:
        if not isinstance(value, list):
            return not strict
        for element in value:
            if not item(element):
                return False
        return True

    return check


def _one_of_strings(allowed: frozenset[str]) -> Callable[[list], bool]:
    def whole(value: list) -> bool:
        try:
            return allowed.issuperset(value)
        except TypeError:  # an unhashable item (an object or an array) is not one of the strings
            return False

    return whole


def _only_strings(value: list) -> bool:
    # Exactly str: a subclass of it would be a string too, and gets its answer from jsonschema.
    return {str}.issuperset(map(type, value))


def _pattern(regex: re.Pattern, strict: bool) -> Check:
    seen: dict[str, bool] = {}  # values repeat a lot (slots, language codes): remember answers

    def check(value: Any) -> bool:
        if not isinstance(value, str):
            return not strict
        if value not in seen:
            seen[value] = regex.search(value) is not None
        return seen[value]

    return check


def _min_length(bound: int, strict: bool) -> Check:
    def check(value: Any) -> bool:
        if not isinstance(value, str):
            return not strict
        return len(value) >= bound

    return check


def _compile_type(expected: str | list[str]) -> Check:
    names = [expected] if isinstance(expected, str) else expected
    checks = [TYPES[name] for name in names]
    if len(checks) == 1:
        return checks[0]
    return lambda value: any(check(value) for check in checks)


def _string_enum(options: list) -> frozenset[str]:
    if not all(isinstance(option, str) for option in options):
        raise Unsupported("enum with non-string values")
    return frozenset(options)


def _compile_enum(options: list) -> Check:
    allowed = _string_enum(options)
    return lambda value: isinstance(value, str) and value in allowed


def _compile_const(const: Any) -> Check:
    if not _is_number(const) and not isinstance(const, str):
        raise Unsupported("const that is not a number or string")
    same_kind = _is_number if _is_number(const) else TYPES["string"]
    return lambda value: same_kind(value) and value == const


def _compile_object(node: dict, compile_node: Callable[[dict], Check], strict: bool) -> Check:
    properties = {name: compile_node(sub) for name, sub in node.get("properties", {}).items()}
    additional = compile_node(node["additionalProperties"]) if "additionalProperties" in node else None
    names = compile_node(node["propertyNames"]) if "propertyNames" in node else None
    required = list(node.get("required", []))

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return not strict
        for name in required:
            if name not in value:
                return False
        for key, item in value.items():
            if names is not None and not names(key):
                return False
            sub = properties.get(key, additional)
            if sub is not None and not sub(item):
                return False
        return True

    return check


BOUNDS = ("minimum", "maximum", "exclusiveMinimum")


def _compile_number(node: dict, strict: bool) -> Check:
    """The numeric bounds of a node in one check, and with ``strict`` its type ("number" or "integer")."""
    integer = strict and node["type"] == "integer"
    low = node.get("minimum", -math.inf)
    high = node.get("maximum", math.inf)
    above = node.get("exclusiveMinimum", -math.inf)

    def check(value: Any) -> bool:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return not strict
        if integer and not (isinstance(value, int) or value.is_integer()):
            return False
        return low <= value <= high and value > above

    return check


def compile_schema(schema: dict) -> Check:
    """Compile ``schema`` (local ``#/$defs/...`` references only) into one check."""
    defs = schema.get("$defs", {})
    cache: dict[str, Check] = {}

    def definition(ref: str) -> dict:
        if not ref.startswith("#/$defs/"):
            raise Unsupported(f"reference {ref}")
        return defs[ref.removeprefix("#/$defs/")]

    def reference(ref: str) -> Check:
        if ref not in cache:
            cache[ref] = compile_node(definition(ref))
        return cache[ref]

    def whole_list(item: dict) -> Callable[[list], bool] | None:
        """A check of a whole list in C, where its items' node is nothing but an enum of strings (directly or
        by reference) or the type string: most lists in a problem are such, and checking item by item was
        a third of the time."""
        if item.keys() == {"$ref"}:
            item = definition(item["$ref"])
        if item.keys() == {"enum"}:
            return _one_of_strings(_string_enum(item["enum"]))
        return _only_strings if item == {"type": "string"} else None

    def compile_node(node: dict) -> Check:
        checks: list[Check] = []
        expected = node.get("type")
        typed = False  # whether one of the checks already checks the type
        object_keywords = {"properties", "additionalProperties", "propertyNames", "required"}
        for keyword, argument in node.items():
            if keyword in ANNOTATIONS or keyword in object_keywords or keyword == "type":
                continue
            if keyword == "$ref":
                checks.append(reference(argument))
            elif keyword == "enum":
                checks.append(_compile_enum(argument))
                typed |= expected == "string"  # the options are strings
            elif keyword == "const":
                checks.append(_compile_const(argument))
            elif keyword == "pattern":
                checks.append(_pattern(re.compile(argument), strict=expected == "string"))
                typed |= expected == "string"
            elif keyword == "minLength":
                checks.append(_min_length(argument, strict=expected == "string"))
                typed |= expected == "string"
            elif keyword in BOUNDS:
                if keyword == next(k for k in node if k in BOUNDS):  # all of a node's bounds in one check
                    checks.append(_compile_number(node, strict=expected in ("number", "integer")))
                    typed |= expected in ("number", "integer")
            elif keyword == "items":
                checks.append(_items(compile_node(argument), expected == "array", whole_list(argument)))
                typed |= expected == "array"
            elif keyword == "oneOf":
                options = [compile_node(sub) for sub in argument]
                checks.append(lambda v, options=options: sum(option(v) for option in options) == 1)
            else:
                raise Unsupported(keyword)
        if object_keywords & node.keys():
            checks.append(_compile_object(node, compile_node, strict=expected == "object"))
            typed |= expected == "object"
        if expected is not None and not typed:
            checks.insert(0, _compile_type(expected))
        return checks[0] if len(checks) == 1 else _all(checks)

    return compile_node(schema)
