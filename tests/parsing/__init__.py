"""Tests of the symbolic parser (fabula.parsing)."""
