"""Tests of the model layer against the fake OpenAI-compatible server."""
