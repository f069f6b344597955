import pytest


@pytest.fixture(scope="session")
def stack_static(tmp_path_factory):
    """Static files collected once per test run for every production stack
    (web/tests/stack.py)."""
    return tmp_path_factory.mktemp("stack-static")
