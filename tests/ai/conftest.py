"""Fixtures for the model tests."""

from tests.support.scripted_model import server

__all__ = ["server"]
