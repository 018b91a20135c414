"""Terraform itself, offline: validate each synthesized stack against the real provider
schemas and apply + destroy it under mocked providers (``terraform test``)."""
