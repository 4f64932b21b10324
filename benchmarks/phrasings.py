"""The demo's walkthrough as people type it: each step of the terse
walkthrough the tests play, with several phrasings a newcomer might use.

The terse walkthrough says what the game must accept; these say what players
actually write (filler words, synonyms, whole sentences, politeness, typos
of habit). :mod:`benchmarks.turn` plays each phrasing at the point of the
walkthrough where it belongs and counts which ones the symbolic parser reads
without the parser model.

The steps themselves come from the walkthrough the game ships
(:func:`fabula.games.walkthrough`); :data:`PHRASINGS` holds, in the same
order, one list of phrasings per step.
"""

from __future__ import annotations

from collections.abc import Sequence

from fabula.games import walkthrough

__all__ = ["PHRASINGS", "STEPS"]

PHRASINGS: list[list[str]] = [
    ["go west", "walk west", "head to the boathouse", "west please"],
    ["pick up the lantern", "grab the storm lantern", "get lantern off the nail"],
    [
        "take the tinderbox and the gaff hook",
        "pick up the box and the hook",
        "grab the tinderbox, then take the gaff",
    ],
    ["light the lantern", "light the storm lantern with the tinderbox", "turn on the lantern"],
    ["go east", "leave the boathouse", "east"],
    ["go north", "walk north to the square", "n."],
    ["talk to the old woman", "say hello to tamsin", "speak with tamsin"],
    [
        "ask tamsin about crab",
        "ask the net-mender about the crab",
        "what does tamsin know about the giant crab?",
    ],
    ["go in", "enter the chandlery", "go inside"],
    ["take the coil of wick", "pick up the wick", "grab the lamp wick"],
    ["go out", "leave", "exit the shop"],
    ["go south", "south", "back to the harbour"],
    ["go east", "walk along to the beach", "e"],
    ["go north", "north to the cave mouth", "n"],
    ["go in", "enter the cave", "go into the tide cave"],
    [
        "hit the crab with the gaff",
        "attack the giant crab with the gaff hook",
        "kill crab",
        "stab the crab with my hook",
    ],
    ["again", "attack the crab again", "hit it again"],
    ["again", "g", "keep hitting the crab"],
    ["again", "hit crab with gaff", "strike the crab"],
    ["again", "attack crab", "hit it"],
    ["pick up the key", "take the lighthouse key", "grab the brass key"],
    ["go north", "go deeper into the cave", "n"],
    ["take the coat", "pick up the keeper's coat", "grab coat"],
    ["put on the coat", "wear the keeper's coat", "put the coat on"],
    ["open the satchel", "open the bag", "look inside the satchel"],
    ["take the oil", "take the flask out of the satchel", "get the lamp oil"],
    ["go south", "back out", "s"],
    ["go out", "leave the cave", "exit"],
    ["go south", "back to the beach", "s"],
    ["go west", "walk back to the harbour", "w"],
    ["go north", "n", "head north"],
    ["go east", "take the cliff path", "e"],
    ["go north", "climb to the headland", "n"],
    ["unlock the door with the key", "unlock the lighthouse door", "use the key on the door"],
    ["open the door", "open the lighthouse door", "push the door open"],
    ["go north", "go inside the lighthouse", "enter the lighthouse"],
    ["read the logbook", "examine the keeper's logbook", "look at the log"],
    ["go up", "climb the stairs", "up"],
    ["go up", "keep climbing", "u"],
    ["light the great lamp", "light the lamp with the tinderbox", "light beacon"],
    ["put the wick in the lamp", "fit the wick into the great lamp", "insert the wick in the lamp"],
    ["put the oil in the lamp", "pour the oil into the lamp", "fill the lamp with oil"],
    [
        "light the lamp",
        "light the great lamp with the tinderbox",
        "strike a flame and light the beacon",
    ],
]
"""Other ways to type each step of the walkthrough, step by step."""


def steps(commands: Sequence[str], phrasings: Sequence[list[str]]) -> list[tuple[str, list[str]]]:
    """Each walkthrough command with its phrasings.

    Raises:
        ValueError: the walkthrough and the phrasings have different lengths
            (one of them changed without the other).
    """
    if len(commands) != len(phrasings):
        raise ValueError(
            f"the walkthrough has {len(commands)} steps but benchmarks/phrasings.py has "
            f"phrasings for {len(phrasings)}: give each step of "
            "fabula/games/gulls_end/walkthrough.txt its phrasings, in order"
        )
    return list(zip(commands, phrasings, strict=True))


STEPS: list[tuple[str, list[str]]] = steps(walkthrough(), PHRASINGS)
"""``(walkthrough command, phrasings)`` for each step, in order."""
