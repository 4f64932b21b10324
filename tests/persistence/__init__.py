"""Tests of saves, the journal, recovery and replay (fabula.persistence)."""
