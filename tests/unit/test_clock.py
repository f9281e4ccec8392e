import time

from streams.clock import Clock


def test_an_accelerated_clock_runs_faster_from_its_origin():
    origin = time.time() - 2.0
    fast = Clock(speed=86400, origin=origin)
    elapsed_days = (fast.timestamp() - origin) / 86400
    assert 1.9 < elapsed_days < 2.5


def test_two_processes_with_the_same_settings_agree():
    origin = time.time() - 10
    assert abs(Clock(speed=100, origin=origin).timestamp() - Clock(speed=100, origin=origin).timestamp()) < 1


def test_real_seconds_for_clock_time():
    assert Clock(speed=86400).real_seconds(86400) == 1.0
