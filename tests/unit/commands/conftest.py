import pytest


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch):
    """The commands see only the installed departments, whatever the shell exported."""
    monkeypatch.delenv("ONETHING_EXTRA_DEPARTMENTS", raising=False)
