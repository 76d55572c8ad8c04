import pytest
from store.conftest import db_url  # noqa: F401 - the same SQLite / PostgreSQL fixture as the store tests

from .site import Site, start


@pytest.fixture
def site():
    """A real HTTP server on 127.0.0.1 (port chosen by the OS), stopped after the test."""
    s = Site()
    server, thread = start(s)
    yield s
    server.shutdown()
    server.server_close()
