"""Tests of the prompt library (fabula.prompts)."""
