"""Fixtures for the model tests."""

from scripted_server import server

__all__ = ["server"]
