"""The invariant every integration test checks after every turn: whatever the
models said, the save holds only legal, replayable turns.

Legal: every journalled action is a registered action id whose parameters
validate. Replayable: the journal, played again from turn 0 on a fresh world
built from the save's seed, reproduces the live state digest exactly, so
nothing changed the world except the rules playing journalled actions.
"""

from __future__ import annotations

from fabula.persistence import TurnRecord, journal, replay, state_digest
from fabula.session import Session


def journal_rows(session: Session, after: int = 0) -> list[TurnRecord]:
    """The session's journal rows after turn ``after`` (read through the open
    save: it holds the file's lock, so no second connection could)."""
    return list(journal.read(session.save._db(), after))


def assert_legal(session: Session) -> None:
    """Fail unless the session's journal is legal and replays to its state."""
    game = session.game
    rows = journal_rows(session)
    assert [row.turn for row in rows] == list(range(1, session.save.turn + 1))
    for row in rows:
        for proposal in row.actions:
            assert proposal.action in game.actions, f"turn {row.turn}: {proposal}"
            game.actions.get(proposal.action).Params.model_validate(proposal.params)
    world = game.new_world(session.save.seed)
    replay(session.save.path, game.simulation(world), rows)
    name_of = game.components.name_of
    assert state_digest(world, name_of) == state_digest(session.world, name_of), (
        "replaying the journal from turn 0 does not give the live state"
    )
