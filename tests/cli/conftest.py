"""The end-to-end servers and tenants, shared with tests/e2e: the command talks to them."""

from tests.e2e.conftest import fresh_env, operator, server, tenant

__all__ = ["fresh_env", "operator", "server", "tenant"]
