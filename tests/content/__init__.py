"""Tests of games as files (fabula.content)."""
