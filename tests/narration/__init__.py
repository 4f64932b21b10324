"""Tests of the narrators (fabula.narration)."""
