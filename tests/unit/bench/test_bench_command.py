"""`onething bench`: what it refuses before measuring anything, and how a report reads."""

from __future__ import annotations

import pytest

from streams.bench.figures import Figure, Target, not_measured, report
from streams.bench.run import FULL, QUICK, consumptions_per_case, scale_for
from streams.cli import main
from streams.commands.bench import render


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["bench", "--only", "everything"], "choose from codec, tracker, hop"),
        (["bench", "--hop-events", "0"], "'0' is not a positive number"),
        (["bench", "--restart-small", "5000", "--restart-large", "100"], "must be below --restart-large"),
    ],
)
def test_a_wrong_bench_command_gets_one_line_and_starts_nothing(argv, expected, capsys):
    with pytest.raises(SystemExit) as exit_code:
        raise SystemExit(main(argv))
    assert exit_code.value.code == 2
    err = capsys.readouterr().err
    assert expected in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_quick_is_smaller_than_full_in_every_measurement_and_overrides_win():
    for field in ("codec_events", "tracker_cases", "hop_events", "latency_seconds", "restart_large"):
        assert getattr(QUICK, field) < getattr(FULL, field)
    assert FULL.tracker_cases == 100_000 and FULL.restart_large == 100_000 and FULL.restart_small == 1_000
    scale = scale_for(quick=True, hop_events=500, restart_large=None)
    assert scale.hop_events == 500 and scale.restart_large == QUICK.restart_large and scale.quick


def test_a_restaurant_case_is_consumed_by_each_department_it_reaches_and_by_the_tracker():
    # Application → 市场监管局; the licence → four departments' matters; every one → the tracker.
    assert consumptions_per_case() >= 1 + 3 + 4


def test_the_table_shows_every_figure_and_how_many_targets_were_met():
    shown = render(
        report(
            [
                Figure("hop_ratio_vs_raw", 3_000.0, 5_000.0, Target(">=", 0.5)),
                not_measured("replay_ratio_vs_raw", Target(">=", 0.5), "no replay reader"),
            ],
            machine={},
            scale={},
        )
    )
    lines = shown.splitlines()
    assert lines[0].split() == ["figure", "value", "baseline", "ratio", "target", "met"]
    assert "hop_ratio_vs_raw" in lines[2] and "0.6" in lines[2] and lines[2].endswith("yes")
    assert "not measured" in lines[3] and lines[3].endswith("no")
    assert lines[-1].startswith("1 of 2 targets met")


def test_a_measurement_that_fails_is_reported_not_measured_with_its_reason(monkeypatch):
    import streams.bench.codec_speed as codec_speed
    from streams.bench.run import run_bench

    def broken(**_: object) -> Figure:
        raise RuntimeError("the codec fell over")

    monkeypatch.setattr(codec_speed, "measure_codec", broken)
    result = run_bench(scale=QUICK, only=("codec",), progress=lambda line: None)
    codec = result["figures"]["codec_speedup_vs_avro"]
    assert codec["value"] == "not measured" and codec["met"] is False
    assert codec["why"] == "RuntimeError: the codec fell over"
    assert codec["target"] == "ratio >= 8"
