from __future__ import annotations

from collections.abc import Iterator

import pytest

from streams.contracts import Catalog, default_catalog
from tests.plugins import BROKEN, RETIREMENT, installed


@pytest.fixture
def retirement(tmp_path) -> Iterator[Catalog]:
    """The retirement plug-in installed in this process; the catalog every command now reads."""
    with installed(RETIREMENT, tmp_path / "site"):
        yield default_catalog()


@pytest.fixture
def broken(tmp_path, retirement) -> Iterator[None]:
    """The plug-in with every mistake, installed beside the retirement one."""
    with installed(BROKEN, tmp_path / "broken-site"):
        yield


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch):
    monkeypatch.delenv("ONETHING_EXTRA_DEPARTMENTS", raising=False)
    monkeypatch.delenv("ONETHING_SCHEMAS", raising=False)
