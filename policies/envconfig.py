"""The typed configuration a stack was synthesized from (infra/config.py), for checks of
per-environment values: the numbers live in infra/environments/*.yaml only, and a check
compares the stack with them instead of repeating them."""
from __future__ import annotations

from functools import lru_cache

from infra.config import ConfigError, Environment, load_environment
from policies.stack import Stack, StackError

# Ephemeral configs validate only with an expiry (deploy-time data no check compares).
_DEPLOY_TIME = {"CLICKSTREAM_EXPIRES_ON": "2099-12-31"}


@lru_cache(maxsize=32)
def environment(env: str) -> Environment:
    """The typed config of environment `env`; StackError (a check reports it) when invalid."""
    try:
        return load_environment(env, environ=_DEPLOY_TIME)
    except ConfigError as err:
        raise StackError(f"environment {env!r}: {err}") from None


def configured(stack: Stack) -> Environment:
    return environment(stack.env)
