"""`make demo`: the whole platform on one machine, end to end, with a report.

Synthesizes every environment, scans it with the policies, produces events into a
local landing zone, runs the pipeline twice (full, then incremental) and writes a
self-contained HTML + Markdown report under reports/demo/. Entry point:
``python -m demo [--events N] [--env dev] [--clean]`` (see demo/README.md).
"""
