"""Tests of the scheduler and task runner (fabula.systems)."""
