"""The component classes every library stores, and the self-check every scenario uses."""

from __future__ import annotations

import msgspec
import pydantic

from fabula.ecs import component

# --- components: the same classes for every library ----------------------------------


@component
class Position:
    x: float
    y: float


@component
class Velocity:
    dx: float
    dy: float


@component
class Health:
    hp: int


@component
class Marked:
    """Tag toggled by the structural-change scenarios."""


@component
class Stunned:
    """Tag added and removed by the churn scenario."""


@component(columnar=True)
class CPosition:
    x: float
    y: float


@component(columnar=True)
class CVelocity:
    dx: float
    dy: float


@component(columnar=True)
class CHealth:
    hp: int


@component
class MsgPosition(msgspec.Struct):
    x: float
    y: float


@component
class MsgVelocity(msgspec.Struct):
    dx: float
    dy: float


@component
class PydPosition(pydantic.BaseModel):
    x: float
    y: float


@component
class PydVelocity(pydantic.BaseModel):
    dx: float
    dy: float


@component
class PydCheckedPosition(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(validate_assignment=True)
    x: float
    y: float


@component
class PydCheckedVelocity(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(validate_assignment=True)
    dx: float
    dy: float


MARK, STUN = Marked(), Stunned()
DX, DY = 1.0, 0.5
"""Every entity's velocity; positions stay exact in float64, so checks use ``==``."""

KINDS: dict[str, tuple[type, type]] = {
    "slotted dataclass": (Position, Velocity),
    "msgspec Struct": (MsgPosition, MsgVelocity),
    "Pydantic BaseModel": (PydPosition, PydVelocity),
    "Pydantic, validate_assignment": (PydCheckedPosition, PydCheckedVelocity),
}
"""Component kinds of the second table: kind -> (position class, velocity class)."""


class VerificationError(AssertionError):
    """A library did not do the work a scenario timed, so its figure is void."""


def _check(ok: bool, where: str, detail: str) -> None:
    if not ok:
        raise VerificationError(f"{where}: {detail}; the figure would be void.")
