"""Hostile tests: a hostile model, player and save folder against the engine."""
