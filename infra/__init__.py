"""Infrastructure: one CDKTF stack per environment (see infra/README.md)."""
