"""Fixtures for the model tests."""

from tests.ai.scripted_server import server

__all__ = ["server"]
