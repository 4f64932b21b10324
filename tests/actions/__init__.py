"""Tests of fabula.actions: actions, Rules, the standard library."""
