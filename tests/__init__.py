"""fabula's tests, one package per fabula package (tests/ecs for fabula/ecs, ...), plus
tests/support for the helpers they share. Any folder or file of them runs alone
or together: `pytest tests/memory tests/security`, `pytest tests/ai/test_client.py`."""
