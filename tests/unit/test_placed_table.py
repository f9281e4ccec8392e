"""A table write goes to the changelog partition of the record the agent has in hand."""

from __future__ import annotations

from types import SimpleNamespace

import faust
import pytest

from streams.current_record import CURRENT_SOURCE
from streams.packed_store import PACKED_STORE, PlacedTable
from streams.runtime import TABLE_SCHEMA


def cases_table() -> PlacedTable:
    app = faust.App("placed", broker="kafka://localhost:1", store=PACKED_STORE, Table=PlacedTable)
    return app.Table("cases", schema=TABLE_SCHEMA)


def test_a_write_made_for_a_record_of_a_batch_goes_to_that_records_partition() -> None:
    table = cases_table()
    record = SimpleNamespace(topic="gov.tracker.case_completed.v1", partition=2, offset=40, key=b"C-1")
    token = CURRENT_SOURCE.set(record)
    try:
        # faust knows only the record its stream handed out last; in a batch that is another one
        assert table.partition_for_key("C-1") == 2
    finally:
        CURRENT_SOURCE.reset(token)


def test_a_write_with_no_record_in_hand_is_refused_as_faust_refuses_it() -> None:
    with pytest.raises(TypeError, match="outside of stream iteration"):
        cases_table().partition_for_key("C-1")
