"""``python -m benchmarks.ecs``: see :mod:`benchmarks.ecs`."""

from benchmarks.ecs.report import main

if __name__ == "__main__":
    main()
