"""Small-size runs of every benchmark in benchmarks/, checking their own work."""
