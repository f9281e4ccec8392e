"""A wrong command line gets one line that says what is wrong, never a traceback."""

import pytest

from streams.cli import main


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["bogus"], "invalid choice: 'bogus'"),
        (["broker", "sideways"], "invalid choice: 'sideways'"),
        (["demo", "--cases", "x"], "'x' is not a number"),
        (["demo", "--cases", "0"], "'0' is not a positive number"),
        (["simulate", "--flow", "no_such_flow"], "unknown flow 'no_such_flow'"),
    ],
)
def test_wrong_arguments_get_one_line(argv, expected, capsys):
    with pytest.raises(SystemExit) as exit_code:
        raise SystemExit(main(argv))
    assert exit_code.value.code == 2
    err = capsys.readouterr().err
    assert expected in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_schemas_check_passes_on_the_shipped_contracts(capsys):
    assert main(["schemas", "check"]) == 0
    assert "BACKWARD compatible" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        (
            "ONETHING_DASHBOARD_CLOSED_CASES",
            "abc",
            "ONETHING_DASHBOARD_CLOSED_CASES must be a whole number, not 'abc'",
        ),
        ("ONETHING_DASHBOARD_CLOSED_CASES", "0", "ONETHING_DASHBOARD_CLOSED_CASES must be at least 1"),
        ("ONETHING_PARTITIONS", "three", "ONETHING_PARTITIONS must be a whole number, not 'three'"),
        ("ONETHING_CLOCK_SPEED", "fast", "ONETHING_CLOCK_SPEED must be a number, not 'fast'"),
    ],
)
def test_a_wrong_setting_gets_one_line_naming_it(setting, value, expected, monkeypatch, capsys):
    monkeypatch.setenv(setting, value)
    assert main(["report"]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert err.count("\n") == 1 and "Traceback" not in err
