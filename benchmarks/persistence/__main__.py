"""``python -m benchmarks.persistence``: see :mod:`benchmarks.persistence`."""

from benchmarks.persistence.report import main

if __name__ == "__main__":
    main()
