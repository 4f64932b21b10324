"""Tests of the bundled games, played through their sessions."""
