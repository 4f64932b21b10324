"""Tests of the EventBus and the built-in events (fabula.events)."""
