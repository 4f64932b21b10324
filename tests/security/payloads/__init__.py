"""The hostile corpora, as tables of named cases: what a jailbroken parser
model answers, how a broken server answers, what a hostile narrator model
writes, and what a hostile player types.

Every case has an id, so a failure names its payload. A case whose ``bug``
is set exposes a known engine bug: its test is marked
``xfail(strict=True)`` with that reason, and starts passing (and so failing
as XPASS) the day the bug is fixed, which is the reminder to drop the mark.

Scenes put the player somewhere the payload means something: next to
things to take, in front of the locked door, in the crab's cave. Each is a
list of ordinary commands played through the symbolic parser first.
"""

from tests.security.payloads.common import SAID, SCENES, params
from tests.security.payloads.models import MODEL_ANSWERS, ModelCase
from tests.security.payloads.players import PLAYER_INPUTS, PlayerCase
from tests.security.payloads.servers import (
    ENVELOPES,
    NARRATIONS,
    STREAMS,
    NarrationCase,
    TransportCase,
)

__all__ = [
    "ENVELOPES",
    "MODEL_ANSWERS",
    "NARRATIONS",
    "PLAYER_INPUTS",
    "SAID",
    "SCENES",
    "STREAMS",
    "ModelCase",
    "NarrationCase",
    "PlayerCase",
    "TransportCase",
    "params",
]
