"""The bootstrap stack: state backends and deploying identities, applied once by a person."""

from contract.environments import BOOTSTRAP as STACK_NAME

__all__ = ["STACK_NAME"]
