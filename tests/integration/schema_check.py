"""Checking a model's answer against the JSON schema it was constrained to,
with the ``jsonschema`` library (the reference implementation)."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator

__all__ = ["schema_errors"]


def schema_errors(value: Any, schema: dict[str, Any]) -> list[str]:
    """What is wrong with ``value`` under ``schema``, one line each (empty if nothing).

    >>> schema_errors({"a": "x"}, {"type": "object", "properties": {"a": {"enum": ["y"]}}})
    ["$.a: 'x' is not one of ['y']"]
    """
    Draft202012Validator.check_schema(schema)
    return [
        f"{error.json_path}: {error.message}"
        for error in sorted(Draft202012Validator(schema).iter_errors(value), key=str)
    ]
