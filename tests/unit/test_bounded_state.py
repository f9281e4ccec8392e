"""Bounded state: expiry of stamped entries, closed-case markers and the deadline index."""

from __future__ import annotations

from streams.deadline_index import DeadlineIndex, IndexedCases
from streams.retention import Purger, expired, stamped
from streams.tracker import closed_summary, new_case_state, next_deadline


def open_case(due_at: int, **matter_due: int) -> dict:
    state = new_case_state()
    state.update(flow="restaurant", due_at=due_at, matter_due=matter_due, last={"event_id": "e"})
    return state


def test_only_stamped_entries_past_the_cutoff_in_the_given_partitions_expire():
    items = [
        ("old-0", stamped({}, 0, at=100)),
        ("old-1", stamped({}, 1, at=100)),
        ("new-0", stamped({}, 0, at=900)),
        ("legacy", 100),  # written before stamping: kept, its partition is unknown
        ("open-case", open_case(5)),
    ]
    assert list(expired(items, cutoff=500)) == [("old-0", 0), ("old-1", 1)]
    assert list(expired(items, cutoff=500, partitions={1})) == [("old-1", 1)]


class FakeTable:
    name = "t"

    def __init__(self, data):
        self.data, self.tombstones = dict(data), []

    def send_changelog(self, partition, key, value, value_serializer=None):
        self.tombstones.append((partition, key, value))


def test_the_purger_removes_expired_entries_and_writes_their_tombstones_to_their_partition():
    table = FakeTable({"gone": stamped({}, 2, at=0), "kept": stamped({}, 2)})
    assert Purger(table, retention_millis=60_000).purge({2}) == 1
    assert list(table.data) == ["kept"] and table.tombstones == [(2, "gone", None)]


def test_a_sweep_reads_a_bounded_number_of_entries_per_step_and_starts_again_after_its_period():
    table = FakeTable({})
    table.data = ReadCounting({f"old-{n}": stamped({}, n % 3, at=0) for n in range(25)})
    purger = Purger(table, retention_millis=60_000, period_millis=3_600_000, step_entries=10)
    removed, reads = [], []
    for _ in range(3):
        before = table.data.reads
        removed.append(purger.step(None))
        reads.append(table.data.reads - before)
    assert removed == [10, 10, 5]
    assert reads == [10, 10, 5]  # never the whole table at once
    table.data["late"] = stamped({}, 0, at=0)  # written after the sweep began: the next one's
    assert purger.step(None) == 0 and "late" in table.data  # the next sweep is not due yet
    purger._swept_at -= 3_600_000  # an hour later
    assert purger.step(None) == 1 and not table.data
    assert [key for _, key, _ in table.tombstones] == [*(f"old-{n}" for n in range(25)), "late"]


def test_an_entry_removed_while_a_sweep_goes_on_is_skipped():
    table = FakeTable({"a": stamped({}, 0, at=0), "b": stamped({}, 0, at=0)})
    purger = Purger(table, retention_millis=60_000, step_entries=1)
    assert purger.step(None) == 1
    del table.data["b"]  # an agent or a rebalance got there first
    assert purger.step(None) == 0 and table.tombstones == [(0, "a", None)]


class ReadCounting(dict):
    """A table's data counting the values read from it (each one an unpacking in a worker)."""

    reads = 0

    def get(self, key, default=None):
        self.reads += 1
        return super().get(key, default)


def test_a_closed_case_keeps_only_what_ignoring_its_late_events_needs():
    state = open_case(10)
    state["status"] = "completed"
    assert closed_summary(state) == {"flow": "restaurant", "status": "completed", "started_at": 0}


def test_the_next_deadline_is_the_earliest_unreported_one_of_an_open_case():
    state = open_case(500, **{"tax.a": 300, "fire.b": 200})
    state["done"], state["missed"] = ["fire.b"], []
    assert next_deadline(state) == 300
    state["missed"] = ["tax.a"]
    assert next_deadline(state) == 500
    state["missed"] = ["tax.a", "case"]
    assert next_deadline(state) is None
    assert next_deadline({**state, "status": "completed"}) is None


def test_the_index_yields_late_cases_in_deadline_order_once_until_written_again():
    cases = IndexedCases({}, DeadlineIndex(next_deadline))
    cases["b"], cases["a"], cases["c"] = open_case(200), open_case(100), open_case(900)
    assert cases.index.late(now_ms=500) == ["a", "b"]
    assert cases.index.late(now_ms=500) == []  # visited: out until the tracker writes it
    cases["a"] = {**open_case(100), "missed": ["case"]}  # the miss folded in: nothing left due
    cases["b"] = open_case(700)  # moved later
    assert cases.index.late(now_ms=800) == ["b"]
    assert len(cases.index) == 1  # only c is still waiting


def test_a_closed_case_leaves_the_index_and_a_rebuild_sees_only_open_ones():
    table = {"open": open_case(100), "done": {"status": "completed", "flow": "x", "started_at": 0}}
    index = DeadlineIndex(next_deadline)
    index.rebuild(table.items())
    assert not index.stale and len(index) == 1
    cases = IndexedCases(table, index)
    cases["open"] = {**table["open"], "status": "rejected"}
    assert len(index) == 0 and index.late(now_ms=10**12) == []


def test_a_retired_write_is_stamped_for_the_records_partition_when_it_settles():
    from streams.retention import PARTITION, STAMP
    from streams.step import Step

    table: dict = {}
    step = Step()
    step.write(table, "open", {"status": "open"})
    step.write(table, "closed", {"status": "closed"}, finished=True)
    step.settle(partition=1)
    assert STAMP not in table["open"] and table["closed"][PARTITION] == 1 and table["closed"][STAMP] > 0
    untimed: dict = {}
    tools = Step()
    tools.write(untimed, "closed", {"status": "closed"}, finished=True)
    tools.settle()  # no record in hand (tools, tests): nothing to expire from
    assert untimed == {"closed": {"status": "closed"}}


def test_a_rebuild_does_not_miss_issues_the_worker_let_go_after_the_retention():
    from streams.replay.rebuild import comparable_issues

    rebuilt = {
        "closed-long-ago": {"status": "closed"},
        "open": {"status": "handling"},
        "kept": {"status": "closed"},
    }
    live = {"kept": {"status": "closed"}}
    assert comparable_issues(live, rebuilt) == {"open": {"status": "handling"}, "kept": {"status": "closed"}}
