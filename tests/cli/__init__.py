"""Tests of the fabula command."""
