"""Helpers the test packages share, each once:

* :mod:`tests.support.snapshots`: snapshot files beside a test module;
* :mod:`tests.support.walkthrough`: the demo's walkthrough, read from the
  file the game ships.

Import them by their full name (``from tests.support.walkthrough import
WALKTHROUGH``); a fixture is made available to a folder by importing it in
that folder's ``conftest.py``.
"""
