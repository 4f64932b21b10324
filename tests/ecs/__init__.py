"""Tests of the world (fabula.ecs)."""
