"""The typed configuration a stack was synthesized from (infra/config.py), for checks of
per-environment values: the numbers live in infra/environments/*.yaml only, and a check
compares the stack with them instead of repeating them."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from infra.config import ConfigError, Environment, load_environment
from synthesized.stack import EnvKind, Stack, StackError


def _deploy_time() -> dict[str, str]:
    """Ephemeral configs validate only with an expiry, at most 30 days ahead (deploy-time
    data no check compares): tomorrow always is."""
    return {"CLICKSTREAM_EXPIRES_ON": (dt.date.today() + dt.timedelta(days=1)).isoformat()}


@lru_cache(maxsize=32)
def environment(env: str) -> Environment:
    """The typed config of environment `env`; StackError (a check reports it) when invalid."""
    try:
        return load_environment(env, environ=_deploy_time())
    except ConfigError as err:
        raise StackError(f"environment {env!r}: {err}") from None


class NotAnEnvironment(Exception):
    """The stack has no environment config (the bootstrap): per-environment rules do not apply."""


def configured(stack: Stack) -> Environment:
    if stack.kind is EnvKind.BOOTSTRAP:
        raise NotAnEnvironment(stack.env)
    return environment(stack.env)
