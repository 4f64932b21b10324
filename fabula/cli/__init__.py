"""The ``fabula`` command line."""

from fabula.cli.main import main

__all__ = ["main"]
