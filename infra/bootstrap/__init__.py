"""The bootstrap stack: state backends and deploying identities, applied once by a person."""

STACK_NAME = "bootstrap"  # a stack name, never an environment's (infra/config.py refuses it)
