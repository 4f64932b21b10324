"""Helpers the test packages share, each once:

* :mod:`tests.support.openai_server`: the one fake OpenAI-compatible server
  (a real HTTP server on loopback that answers from a script, stops at once);
* :mod:`tests.support.openai_wire`: the shapes it sends (completions,
  streamed chunks, embeddings, errors);
* its scripts: :mod:`tests.support.scripted_model` (answers in order, the
  ``server`` fixture), :mod:`tests.support.hostile_model` (answers meant to
  hurt) and :mod:`tests.support.embeddings_model` (``/v1/embeddings``, the
  ``embeddings_server`` fixture);
* :mod:`tests.support.scheduling`: how pytest-xdist hands test files and
  folders to its workers;
* :mod:`tests.support.snapshots`: snapshot files beside a test module;
* :mod:`tests.support.summary`: figures printed at the end of a run, from
  any pytest-xdist worker;
* :mod:`tests.support.walkthrough`: the demo's walkthrough, read from the
  file the game ships.

Import them by their full name (``from tests.support.walkthrough import
WALKTHROUGH``); a fixture is made available to a folder by importing it in
that folder's ``conftest.py``.
"""
