from __future__ import annotations

import itertools

import pytest

from streams.codec import Codec
from streams.contracts import Catalog, default_catalog
from streams.registry.client import RegistryError


class FakeRegistry:
    """Ids by position, as a registry would hand them out; schema_by_id knows only what we add."""

    def __init__(self, catalog: Catalog) -> None:
        counter = itertools.count(1)
        self.ids = {c.full_name: next(counter) for c in catalog}
        self.extra: dict[int, str] = {}

    def schema_by_id(self, schema_id: int) -> str:
        if schema_id not in self.extra:
            raise RegistryError(40403, "Schema not found", status=404)
        return self.extra[schema_id]


@pytest.fixture
def catalog() -> Catalog:
    return default_catalog()


@pytest.fixture
def registry(catalog: Catalog) -> FakeRegistry:
    return FakeRegistry(catalog)


@pytest.fixture
def codec(catalog: Catalog, registry: FakeRegistry) -> Codec:
    return Codec(catalog, registry.ids, registry.schema_by_id)
