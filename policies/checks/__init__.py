"""Our checkov policies (loaded with --external-checks-dir; one module per concern).

Module names start with `clk_` because checkov imports each file under its bare name."""
