"""Tests of the turn core and game lookup (fabula.simulation)."""
