"""Tests of one turn end to end (fabula.session)."""
