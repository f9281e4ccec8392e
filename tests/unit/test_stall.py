"""The stall watch names a partition only when records waited and nothing was committed for long."""

from __future__ import annotations

import sys

from streams.stall import StallWatch, restart_process

P = ("gov.tax.x.v1", 0)


def test_a_partition_with_records_waiting_and_no_commit_is_stalled_after_the_limit():
    watch = StallWatch(60)
    assert watch.observe({P: 5}, {P: 9}, now=0) == []
    assert watch.observe({P: 5}, {P: 12}, now=59) == []
    assert watch.observe({P: 5}, {P: 12}, now=60) == [P]


def test_a_commit_starts_the_clock_again():
    watch = StallWatch(60)
    watch.observe({P: 5}, {P: 9}, now=0)
    watch.observe({P: 6}, {P: 9}, now=50)
    assert watch.observe({P: 6}, {P: 9}, now=100) == []
    assert watch.observe({P: 6}, {P: 9}, now=110) == [P]


def test_an_idle_partition_is_judged_from_when_records_arrive_not_from_its_last_commit():
    watch = StallWatch(60)
    watch.observe({P: 9}, {P: 9}, now=0)  # caught up for a long while
    assert watch.observe({P: 9}, {P: 10}, now=1000) == []
    assert watch.observe({P: 9}, {P: 10}, now=1059) == []
    assert watch.observe({P: 9}, {P: 10}, now=1060) == [P]


def test_a_never_committed_partition_counts_from_offset_zero():
    watch = StallWatch(10)
    watch.observe({}, {P: 3}, now=0)
    assert watch.observe({}, {P: 3}, now=10) == [P]


def test_an_excused_outage_restarts_every_clock():
    watch = StallWatch(60)
    watch.observe({P: 5}, {P: 9}, now=0)
    watch.excuse()
    assert watch.observe({P: 5}, {P: 9}, now=100) == []
    assert watch.observe({P: 5}, {P: 9}, now=160) == [P]


def test_a_partition_that_left_this_worker_is_forgotten():
    watch = StallWatch(60)
    watch.observe({P: 5}, {P: 9}, now=0)
    watch.observe({}, {}, now=30)  # rebalanced away
    assert watch.observe({P: 5}, {P: 9}, now=70) == []  # back again: a fresh clock


def test_a_restart_runs_the_same_command_again():
    calls = []
    restart_process("stalled", execv=lambda path, argv: calls.append((path, argv)))
    assert calls == [(sys.executable, list(sys.orig_argv))]
