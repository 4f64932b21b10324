"""One game being played: the turn pipeline from the player's text to the
narration, with autosave, undo and save slots."""

from fabula.session.session import Narrator, Parser, Reply, Session, default_save_path

__all__ = ["Narrator", "Parser", "Reply", "Session", "default_save_path"]
