"""Tests of long-term memory (fabula.memory)."""
