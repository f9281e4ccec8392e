"""A commit waits for the table writes made before it, each until the broker acknowledged it."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from streams.acknowledged_producer import ChangelogWriteFailed, changelogs_acknowledged


def table(name: str = "cases") -> SimpleNamespace:
    return SimpleNamespace(name=name, unacknowledged=set(), write_failed=None)


def written(into: SimpleNamespace) -> asyncio.Future:
    sent = asyncio.get_running_loop().create_future()
    into.unacknowledged.add(sent)
    sent.add_done_callback(into.unacknowledged.discard)
    return sent


async def test_the_writes_made_before_are_waited_for_and_not_the_ones_after() -> None:
    cases = table()
    before = written(cases)
    flush = asyncio.create_task(changelogs_acknowledged([cases, table("joins")]))
    await asyncio.sleep(0.05)
    # faust's flush gave up after 0.1 s without a send, and the commit went ahead of this write
    assert not flush.done()
    after = written(cases)  # under load writes keep coming: faust's flush ran on for seconds
    before.set_result(None)
    await asyncio.wait_for(flush, 1)
    assert not after.done()


async def test_a_failed_write_holds_the_commit() -> None:
    cases = table()
    failed = written(cases)
    cases.write_failed = OSError("the broker refused the record")
    failed.set_exception(cases.write_failed)
    with pytest.raises(ChangelogWriteFailed, match="cases: a changelog write failed"):
        await changelogs_acknowledged([cases])
