"""Benchmarks (`make bench-*`): each times one part against its floor or target and prints
the ratio. Kept out of the parts themselves: the pipeline, producer and contract packages
are uploaded to the workspace, and a benchmark has no business there."""
