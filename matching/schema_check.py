"""A fast yes/no check against the JSON Schema, compiled into Python closures.

``jsonschema`` interprets the schema on every node and needs about 0.15 ms
per person: 10 s for 70,000 people, the whole time budget of a large run.
This module compiles the schema once into nested closures (the approach of
``fastjsonschema``, which is not a dependency) that only answer "valid?".
``jsonschema`` stays the authority: it runs whenever this check says no,
to produce the precise error message, and always if the schema uses a
keyword this compiler does not know (:class:`Unsupported` at compile time).
"""

from __future__ import annotations

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


def _items(item: Check) -> Check:
    def check(value: Any) -> bool:
        if isinstance(value, list):
            for element in value:
                if not item(element):
                    return False
        return True

    return check


def _pattern(regex: re.Pattern) -> Check:
    seen: dict[str, bool] = {}  # values repeat a lot (slots, language codes): remember answers

    def check(value: Any) -> bool:
        if not isinstance(value, str):
            return True
        if value not in seen:
            seen[value] = regex.search(value) is not None
        return seen[value]

    return check


def _compile_type(expected: str | list[str]) -> Check:
    names = [expected] if isinstance(expected, str) else expected
    checks = [TYPES[name] for name in names]
    if len(checks) == 1:
        return checks[0]
    return lambda value: any(check(value) for check in checks)


def _compile_enum(options: list) -> Check:
    if not all(isinstance(option, str) for option in options):
        raise Unsupported("enum with non-string values")
    allowed = frozenset(options)
    return lambda value: isinstance(value, str) and value in allowed


def _compile_const(const: Any) -> Check:
    if not _is_number(const) and not isinstance(const, str):
        raise Unsupported("const that is not a number or string")
    same_kind = _is_number if _is_number(const) else TYPES["string"]
    return lambda value: same_kind(value) and value == const


def _compile_object(node: dict, compile_node: Callable[[dict], Check]) -> Check:
    properties = {name: compile_node(sub) for name, sub in node.get("properties", {}).items()}
    additional = compile_node(node["additionalProperties"]) if "additionalProperties" in node else None
    names = compile_node(node["propertyNames"]) if "propertyNames" in node else None
    required = list(node.get("required", []))

    def check(value: Any) -> bool:
        if not isinstance(value, dict):
            return True
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


def _compile_bound(keyword: str, bound: float) -> Check:
    if keyword == "minimum":
        return lambda value: not _is_number(value) or value >= bound
    if keyword == "maximum":
        return lambda value: not _is_number(value) or value <= bound
    if keyword == "exclusiveMinimum":
        return lambda value: not _is_number(value) or value > bound
    return lambda value: not isinstance(value, str) or len(value) >= bound  # minLength


def compile_schema(schema: dict) -> Check:
    """Compile ``schema`` (local ``#/$defs/...`` references only) into one check."""
    defs = schema.get("$defs", {})
    cache: dict[str, Check] = {}

    def reference(ref: str) -> Check:
        if not ref.startswith("#/$defs/"):
            raise Unsupported(f"reference {ref}")
        name = ref.removeprefix("#/$defs/")
        if name not in cache:
            cache[name] = compile_node(defs[name])
        return cache[name]

    def compile_node(node: dict) -> Check:
        checks: list[Check] = []
        object_keywords = {"properties", "additionalProperties", "propertyNames", "required"}
        for keyword, argument in node.items():
            if keyword in ANNOTATIONS or keyword in object_keywords:
                continue
            if keyword == "$ref":
                checks.append(reference(argument))
            elif keyword == "type":
                checks.append(_compile_type(argument))
            elif keyword == "enum":
                checks.append(_compile_enum(argument))
            elif keyword == "const":
                checks.append(_compile_const(argument))
            elif keyword == "pattern":
                checks.append(_pattern(re.compile(argument)))
            elif keyword in ("minimum", "maximum", "exclusiveMinimum", "minLength"):
                checks.append(_compile_bound(keyword, argument))
            elif keyword == "items":
                checks.append(_items(compile_node(argument)))
            elif keyword == "oneOf":
                options = [compile_node(sub) for sub in argument]
                checks.append(lambda v, options=options: sum(option(v) for option in options) == 1)
            else:
                raise Unsupported(keyword)
        if object_keywords & node.keys():
            checks.append(_compile_object(node, compile_node))
        return checks[0] if len(checks) == 1 else _all(checks)

    return compile_node(schema)
