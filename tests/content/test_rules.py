"""Rules, scenes and variables as data (``rules.toml``, ``[variables]``),
played through a real Session on the small game ``games/ruled``: what each
kind of rule does, what it says, and the errors a wrong file gets."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fabula.content import ContentGame, Variables
from fabula.errors import ContentError
from fabula.persistence import verify
from fabula.session import Session

RULED = Path(__file__).parent / "games" / "ruled"


def play(tmp_path: Path, *lines: str, game: ContentGame | None = None) -> tuple[Session, list[str]]:
    session = Session.start(game or ContentGame.load(RULED), tmp_path / "g.save", new=True)
    return session, [session.turn(line).text for line in lines]


def variables(session: Session) -> dict[str, object]:
    world = session.save.world
    player = ContentGame.player(world.view())
    return dict(world.get(player, Variables).values)


def test_an_instead_rule_replaces_the_action_with_its_text(tmp_path: Path) -> None:
    session, texts = play(tmp_path, "n")
    try:
        assert texts[0].startswith("The weather outside is getting worse.")
    finally:
        session.close()


def test_a_before_rule_refuses_and_still_counts(tmp_path: Path) -> None:
    session, texts = play(tmp_path, "s", "jump", "wait")
    try:
        assert "In the dark? You could easily disturb something." in texts[1]
        assert variables(session)["disturbed"] == 2
        session.turn("n")  # going is not counted
        assert variables(session)["disturbed"] == 2
    finally:
        session.close()


def test_an_expression_ending_ends_the_game(tmp_path: Path) -> None:
    session, texts = play(tmp_path, "s", "jump", "wait", "smell")
    try:
        assert "You have trampled the message." in texts[-1]
    finally:
        session.close()


def test_after_rules_change_state_replace_the_report_and_award_points(tmp_path: Path) -> None:
    lines = ("take cloak", "w", "put cloak on hook", "e", "s", "x message", "full score")
    session, texts = play(tmp_path, *lines)
    try:
        assert texts[2].startswith("You hang the cloak on the hook. (0 disturbances so far.)")
        assert "You put" not in texts[2]
        assert "A bar." in texts[4]  # the bar is lit now
        assert "You win." in texts[5]
        assert "1 point for hanging the cloak" in texts[6]
        assert "1 point for reading the message" in texts[6]
    finally:
        session.close()


def test_every_turn_rules_and_scenes_speak_and_set_variables(tmp_path: Path) -> None:
    session, texts = play(tmp_path, "wait", "wait", "wait", "wait", "s")
    try:
        assert "Rain drums on the roof." in texts[0]
        assert "A clock ticks." in texts[3]
        assert "The rain fades behind you." in texts[4]
        assert variables(session)["ticks"] == 100  # the scene's end effect
    finally:
        session.close()


def test_undo_takes_back_what_a_refusal_by_rule_changed(tmp_path: Path) -> None:
    session, _ = play(tmp_path, "s", "jump")
    try:
        assert variables(session)["disturbed"] == 1
        session.turn("undo")
        assert variables(session)["disturbed"] == 0
    finally:
        session.close()


def test_a_game_with_rules_replays_exactly(tmp_path: Path) -> None:
    game = ContentGame.load(RULED)
    session, _ = play(tmp_path, "take cloak", "s", "jump", "n", "w", "put cloak on hook", game=game)
    session.close()
    assert verify(tmp_path / "g.save", game).ok


def test_shown_variables_reach_the_narrators_state(tmp_path: Path) -> None:
    from fabula.context import StateContextBuilder

    session, _ = play(tmp_path, "s", "jump")
    try:
        world = session.save.world.view()
        state = StateContextBuilder().build(world, ContentGame.player(world))
        assert "disturbed 1" in state.status
        assert not any(s.startswith("ticks") for s in state.status)
    finally:
        session.close()


def broken(tmp_path: Path, rules: str, variables: str = "") -> ContentError:
    root = tmp_path / "game"
    shutil.copytree(RULED, root)
    (root / "rules.toml").write_text(rules)
    if variables:
        toml = (root / "game.toml").read_text()
        (root / "game.toml").write_text(toml.replace("hung = false", "hung = false\n" + variables))
    with pytest.raises(ContentError) as caught:
        ContentGame.load(root)
    return caught.value


A = '[[rule]]\nid = "a"\nwhen = "after"\n'
B = '[[rule]]\nid = "a"\nwhen = "before"\n'
CHANGE = '{ change = "bar", component = "room", field = "dim", to = "true" }'


@pytest.mark.parametrize(
    ("rules", "where", "says"),
    [
        ('[[rule]]\nid = "a"\nwhen = "never"\n', "rule.0(a).when", "Input should be"),
        (B + 'if = "holding(cloak"\n', "rule.0(a).if", "not an expression"),
        (B + 'if = "dusturbed > 1"\n', "rule.0(a).if", "dusturbed"),
        (B + 'action = "dance"\n', "rule.0(a).action", "'dance'"),
        (A + 'say = "{% if x %}"\n', "rule.0(a).say", "not a valid template"),
        (A + 'effects = [{ set = "nope", to = "1" }]\n', "rule.0(a).effects.0", "not a variable"),
        (A + 'effects = [{ move = "cloak", to = "moon" }]\n', "rule.0(a).effects.0", "not a place"),
        (A + f"effects = [{CHANGE}]\n", "rule.0(a).effects.0", "no field 'dim'"),
        (A + "effects = [{ award = 2 }]\n", "rule.0(a).effects.0", "needs 'for'"),
        (A + "if = \"lit('sun')\"\n", "rule.0(a).if", "'sun' is not an id"),
        ('[[scene]]\nid = "s"\nbegins = "scene_active(1"\n', "scene.0(s).begins", "expression"),
        ("[[rule]\n", "", ""),
    ],
)
def test_a_wrong_rules_file_is_a_content_error_naming_file_rule_and_field(
    tmp_path: Path, rules: str, where: str, says: str
) -> None:
    error = broken(tmp_path, rules)
    assert any(
        file == "rules.toml" and path.startswith(where) and says in problem
        for file, path, problem in error.problems
    ), error.problems


def test_a_wrong_variable_is_a_content_error(tmp_path: Path) -> None:
    error = broken(tmp_path, "", "bad = [1, 2]")
    assert ("game.toml", "variables.bad") in [(f, p) for f, p, _ in error.problems]


def test_an_ending_if_with_an_unknown_name_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "game"
    shutil.copytree(RULED, root)
    toml = (root / "game.toml").read_text().replace("disturbed >= 3", "trampled >= 3")
    (root / "game.toml").write_text(toml)
    with pytest.raises(ContentError) as caught:
        ContentGame.load(root)
    assert any("trampled" in p for _, _, p in caught.value.problems)


def test_the_new_game_scaffold_teaches_a_rule_that_plays(tmp_path: Path) -> None:
    from fabula.content import scaffold

    game = ContentGame.load(scaffold(tmp_path / "new-game"))
    lines = ("open drawer", "take key", "unlock door with key", "n", "touch roses", "touch roses")
    session, texts = play(tmp_path, *lines, game=game)
    try:
        assert texts[4].startswith("You prick your finger on a thorn.")
        assert texts[5].startswith("You prick your finger on a thorn, again.")
    finally:
        session.close()


MORE_RULES = """
[[rule]]
id = "vanish"
when = "instead"
action = "smell"
say = "The cloak is gone."
effects = [{ move = "cloak", to = "nowhere" }]

[[rule]]
id = "summon"
when = "instead"
action = "listen"
say = "Something lands in your arms."
effects = [{ move = "cloak", to = "player" }]

[[rule]]
id = "don"
when = "after"
action = "take"
if = "noun == 'cloak'"
effects = [{ run = "wear" }, { set = "hung", to = "wearing('cloak')" }]
"""


def test_move_and_run_effects(tmp_path: Path) -> None:
    root = tmp_path / "game"
    shutil.copytree(RULED, root)
    with (root / "rules.toml").open("a") as rules:
        rules.write(MORE_RULES)
    game = ContentGame.load(root)
    session, _ = play(tmp_path, "take cloak", game=game)
    try:
        assert variables(session)["hung"] is True  # the wear action ran
        assert "The cloak is gone." in session.turn("smell").text
        assert "can't see" in session.turn("x cloak").text
        assert "Something lands" in session.turn("listen").text
        assert "velvet cloak" in session.turn("inventory").text
    finally:
        session.close()
    assert verify(tmp_path / "g.save", game).ok
