"""Tests against a real llama.cpp server and a real tiny model: they assert the
invariants (rules hold, replies are complete, replay equals the live state),
never the model's quality."""
