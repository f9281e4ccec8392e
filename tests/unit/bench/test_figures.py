"""A benchmark report: what each figure says, and when it counts as met."""

from __future__ import annotations

import json

import pytest

from streams.bench.figures import NOT_MEASURED, Figure, Target, not_measured, percentile, ratio, report


def test_percentiles_interpolate_between_ranks():
    latencies = [10.0, 20.0, 30.0, 40.0, 50.0]
    assert percentile(latencies, 0.5) == 30.0
    assert percentile(latencies, 0.0) == 10.0
    assert percentile(latencies, 1.0) == 50.0
    assert percentile(latencies, 0.99) == pytest.approx(49.6)
    assert percentile([7.0], 0.99) == 7.0


def test_percentiles_do_not_care_about_order():
    assert percentile([50.0, 10.0, 40.0, 20.0, 30.0], 0.25) == 20.0


def test_a_percentile_of_nothing_or_out_of_range_is_refused():
    with pytest.raises(ValueError, match="no values"):
        percentile([], 0.5)
    with pytest.raises(ValueError, match="outside"):
        percentile([1.0], 1.5)


def test_ratio_is_value_over_baseline_and_absent_without_one():
    assert ratio(40_000.0, 5_000.0) == 8.0
    assert ratio(1.0, 0.0) is None
    assert ratio(None, 3.0) is None
    assert ratio(3.0, None) is None


def test_a_ratio_target_is_met_at_its_bound_and_missed_below():
    codec = Target(">=", 8)
    assert Figure("codec", 8_000.0, 1_000.0, codec).met
    assert not Figure("codec", 7_900.0, 1_000.0, codec).met


def test_a_value_target_ignores_the_baseline():
    latency = Target("<", 250, on="value")
    assert Figure("latency", 249.0, 1.0, latency).met
    assert not Figure("latency", 250.0, 1_000.0, latency).met


def test_unknown_comparisons_and_targets_are_refused():
    with pytest.raises(ValueError):
        Target("~", 1)
    with pytest.raises(ValueError):
        Target(">=", 1, on="baseline")


def test_a_figure_not_measured_says_so_and_is_not_met():
    figure = not_measured("replay_ratio_vs_raw", Target(">=", 0.5), "no replay reader")
    shown = figure.as_json()
    assert shown["value"] == NOT_MEASURED
    assert shown["met"] is False
    assert shown["ratio"] is None
    assert shown["why"] == "no replay reader"


def test_the_report_is_one_json_object_with_every_figure_in_the_same_shape():
    figures = [
        Figure("codec_speedup_vs_avro", 40_000.0, 5_000.0, Target(">=", 8), unit="events/s"),
        Figure(
            "case_latency_ms",
            180.0,
            3.0,
            Target("<", 250, on="value"),
            details={"p50_ms": 90.123456, "rate_cases_per_s": 200},
        ),
        not_measured("replay_ratio_vs_raw", Target(">=", 0.5), "no replay reader"),
    ]
    shown = json.loads(json.dumps(report(figures, machine={"cpus": 2}, scale={"quick": True})))
    assert list(shown["figures"]) == ["codec_speedup_vs_avro", "case_latency_ms", "replay_ratio_vs_raw"]
    for figure in shown["figures"].values():
        assert {"value", "baseline", "ratio", "target", "met"} <= set(figure)
    assert shown["figures"]["codec_speedup_vs_avro"]["ratio"] == 8.0
    assert shown["figures"]["codec_speedup_vs_avro"]["target"] == "ratio >= 8"
    assert shown["figures"]["case_latency_ms"]["p50_ms"] == 90.1235
    assert shown["met"] == 2
    assert shown["measured"] == 2
    assert shown["machine"] == {"cpus": 2}
