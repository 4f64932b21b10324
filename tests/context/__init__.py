"""Tests of what a model is told (fabula.context)."""
