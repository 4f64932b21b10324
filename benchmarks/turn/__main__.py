"""``python -m benchmarks.turn``: see :mod:`benchmarks.turn`."""

from benchmarks.turn.cli import main

if __name__ == "__main__":
    main()
