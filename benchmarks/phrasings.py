"""The demo's walkthrough as people type it: each step of the terse
walkthrough the tests play, with several phrasings a newcomer might use.

The terse walkthrough says what the game must accept; these say what players
actually write (filler words, synonyms, whole sentences, politeness, typos
of habit). :mod:`benchmarks.turn` plays each phrasing at the point of the
walkthrough where it belongs and counts which ones the symbolic parser reads
without the parser model.
"""

from __future__ import annotations

__all__ = ["STEPS"]

STEPS: list[tuple[str, list[str]]] = [
    ("w", ["go west", "walk west", "head to the boathouse", "west please"]),
    ("take lantern", ["pick up the lantern", "grab the storm lantern", "get lantern off the nail"]),
    (
        "take tinderbox and gaff",
        [
            "take the tinderbox and the gaff hook",
            "pick up the box and the hook",
            "grab the tinderbox, then take the gaff",
        ],
    ),
    (
        "light lantern",
        ["light the lantern", "light the storm lantern with the tinderbox", "turn on the lantern"],
    ),
    ("e", ["go east", "leave the boathouse", "east"]),
    ("n", ["go north", "walk north to the square", "n."]),
    ("talk to tamsin", ["talk to the old woman", "say hello to tamsin", "speak with tamsin"]),
    (
        "ask tamsin about the crab",
        [
            "ask tamsin about crab",
            "ask the net-mender about the crab",
            "what does tamsin know about the giant crab?",
        ],
    ),
    ("in", ["go in", "enter the chandlery", "go inside"]),
    ("take wick", ["take the coil of wick", "pick up the wick", "grab the lamp wick"]),
    ("out", ["go out", "leave", "exit the shop"]),
    ("s", ["go south", "south", "back to the harbour"]),
    ("e", ["go east", "walk along to the beach", "e"]),
    ("n", ["go north", "north to the cave mouth", "n"]),
    ("in", ["go in", "enter the cave", "go into the tide cave"]),
    (
        "attack crab with gaff",
        [
            "hit the crab with the gaff",
            "attack the giant crab with the gaff hook",
            "kill crab",
            "stab the crab with my hook",
        ],
    ),
    ("g", ["again", "attack the crab again", "hit it again"]),
    ("g", ["again", "g", "keep hitting the crab"]),
    ("g", ["again", "hit crab with gaff", "strike the crab"]),
    ("g", ["again", "attack crab", "hit it"]),
    ("take key", ["pick up the key", "take the lighthouse key", "grab the brass key"]),
    ("n", ["go north", "go deeper into the cave", "n"]),
    ("take coat", ["take the coat", "pick up the keeper's coat", "grab coat"]),
    ("wear coat", ["put on the coat", "wear the keeper's coat", "put the coat on"]),
    ("open satchel", ["open the satchel", "open the bag", "look inside the satchel"]),
    ("take oil", ["take the oil", "take the flask out of the satchel", "get the lamp oil"]),
    ("s", ["go south", "back out", "s"]),
    ("out", ["go out", "leave the cave", "exit"]),
    ("s", ["go south", "back to the beach", "s"]),
    ("w", ["go west", "walk back to the harbour", "w"]),
    ("n", ["go north", "n", "head north"]),
    ("e", ["go east", "take the cliff path", "e"]),
    ("n", ["go north", "climb to the headland", "n"]),
    (
        "unlock door with key",
        ["unlock the door with the key", "unlock the lighthouse door", "use the key on the door"],
    ),
    ("open door", ["open the door", "open the lighthouse door", "push the door open"]),
    ("n", ["go north", "go inside the lighthouse", "enter the lighthouse"]),
    ("x logbook", ["read the logbook", "examine the keeper's logbook", "look at the log"]),
    ("up", ["go up", "climb the stairs", "up"]),
    ("up", ["go up", "keep climbing", "u"]),
    ("light lamp", ["light the great lamp", "light the lamp with the tinderbox", "light beacon"]),
    (
        "put wick in lamp",
        [
            "put the wick in the lamp",
            "fit the wick into the great lamp",
            "insert the wick in the lamp",
        ],
    ),
    (
        "put oil in lamp",
        ["put the oil in the lamp", "pour the oil into the lamp", "fill the lamp with oil"],
    ),
    (
        "light lamp",
        [
            "light the lamp",
            "light the great lamp with the tinderbox",
            "strike a flame and light the beacon",
        ],
    ),
]
