"""Fixtures for the ECS tests (component types live in ``components.py``)."""

from __future__ import annotations

import pytest

from fabula.ecs import World


@pytest.fixture
def world() -> World:
    """A fresh, empty world."""
    return World(seed=0)
