"""Post-deploy verification and day-2 operations of a deployed environment (ops/README.md)."""
