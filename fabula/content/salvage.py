"""Reporting a world file's mistakes once each: an unknown field named as
such (with the nearest known one), and the rest of a broken entry still
checked, so one typo neither hides the next mistake nor causes false ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from difflib import get_close_matches
from typing import Any

from pydantic import BaseModel, ValidationError

__all__ = ["field_message", "salvage"]


def field_message(error: Any, exc: ValidationError, models: Mapping[str, type[BaseModel]]) -> str:
    """Pydantic's message, but an unknown field says so, with the nearest
    known one ("unknown field; did you mean 'portable'?")."""
    if error["type"] != "extra_forbidden" or not error["loc"]:
        return str(error["msg"])
    model = models.get(exc.title)
    known = list(model.model_fields) if model is not None else []
    close = get_close_matches(str(error["loc"][-1]), known, n=1)
    return "unknown field" + (f"; did you mean {close[0]!r}?" if close else "")


def salvage(model: type[BaseModel], data: Any) -> Any:
    """What is left of an entry once its bad fields are dropped (already
    reported), or ``None``: so the rest of it is still checked (a typo like
    ``portible`` does not hide a bad ``location``), and what names it is not
    told it does not exist (no false follow-on errors)."""
    if not isinstance(data, dict):
        return None
    try:
        model.model_validate(data)
    except ValidationError as exc:
        bad = {e["loc"][0] for e in exc.errors() if e["loc"]}
    else:
        return None
    try:
        return model.model_validate({k: v for k, v in data.items() if k not in bad})
    except ValidationError:
        return None
