"""When a rate counts as sustained: every case done, and nobody waits longer as the run goes on."""

from __future__ import annotations

from streams.bench.kafka_io import Seen, span_rate
from streams.bench.latency import RateRun, keeps_pace, max_sustained
from streams.lag import records_behind as behind


def test_flat_waiting_keeps_pace_and_a_growing_queue_does_not():
    assert keeps_pace([40.0, 60.0, 50.0, 45.0, 55.0, 52.0, 48.0, 61.0, 47.0, 58.0])
    growing = [40.0 + 30 * n for n in range(40)]
    assert not keeps_pace(growing)
    assert not keeps_pace([])


def test_a_queue_that_built_up_early_and_then_stayed_long_does_not_keep_pace():
    # A worker that fell behind in the first seconds, then kept every later case waiting 13 s:
    # against the first quarter (11 s) that looked flat, and 150/s was reported sustained.
    deciles = [2000, 11000, 12500, 13000, 13100, 13000, 13200, 13100, 13300, 13000]
    assert not keeps_pace([float(ms) for ms in deciles for _ in range(10)])


def test_a_rate_with_cases_left_open_is_not_sustained_however_fast_the_rest_were():
    assert RateRun(50, 10, [30.0] * 10).sustained
    assert not RateRun(200, 10, [30.0] * 8).sustained


def test_the_highest_sustained_rate_ignores_faster_rates_that_fell_behind():
    runs = [
        RateRun(200, 10, [30.0] * 8),
        RateRun(100, 8, [30.0] * 8),
        RateRun(50, 8, [20.0] * 8),
    ]
    assert max_sustained(runs) == 100
    assert max_sustained(runs[:1]) == 0.0


def test_a_run_summary_has_the_percentiles_of_what_completed():
    summary = RateRun(200, 4, [10.0, 20.0, 30.0, 40.0]).summary()
    assert summary["p50_ms"] == 25.0
    assert summary["completed"] == 4 and summary["sustained"]


def test_the_rate_between_the_first_and_last_output():
    seen = [Seen(b"k", stamp) for stamp in (1_000, 1_500, 2_000)]
    assert span_rate(seen) == 2.0
    assert span_rate(seen[:1]) is None
    assert span_rate([Seen(b"k", 5), Seen(b"k", 5)]) is None


def test_rejected_cases_end_the_run_but_only_completed_ones_have_a_latency():
    run = RateRun(100, 10, [30.0] * 8, ended=10)
    assert run.sustained
    assert run.summary()["rejected"] == 2 and run.summary()["completed"] == 8
    assert not RateRun(100, 10, [30.0] * 8, ended=9).sustained


def test_a_worker_is_behind_by_what_it_has_not_committed_on_any_partition():
    ends = {("applications", 0): 10, ("applications", 1): 4, ("licences", 0): 3}
    assert behind({("applications", 0): 10, ("applications", 1): 4, ("licences", 0): 3}, ends) == 0
    # the case index still three records behind on one partition; a partition never committed
    assert behind({("applications", 0): 7, ("applications", 1): 4}, ends) == 3 + 3
