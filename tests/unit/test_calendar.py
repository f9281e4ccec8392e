from datetime import datetime

from streams.calendar import CHINA, add_working_days, is_working_day, working_days_between


def at(y, m, d, h=9):
    return datetime(y, m, d, h, tzinfo=CHINA)


def test_national_day_is_off_and_the_adjusted_saturday_is_worked():
    assert not is_working_day(at(2026, 10, 1).date())
    assert not is_working_day(at(2026, 10, 7).date())
    # 2026's National Day holiday is paid back on Saturday 10 October.
    assert is_working_day(at(2026, 10, 10).date())


def test_deadlines_skip_weekends_and_holidays():
    # Wednesday 30 Sept + 1 working day jumps the Golden Week (1-7 October) to 8 October.
    assert add_working_days(at(2026, 9, 30), 1) == at(2026, 10, 8)
    # Friday + 1 working day is Monday.
    assert add_working_days(at(2026, 11, 20), 1) == at(2026, 11, 23)


def test_an_application_on_a_sunday_counts_from_monday():
    assert add_working_days(at(2026, 11, 22, 15), 1) == at(2026, 11, 24, 0)


def test_elapsed_working_days_ignore_days_off():
    assert working_days_between(at(2026, 11, 20), at(2026, 11, 23)) == 1.0
    assert working_days_between(at(2026, 11, 23), at(2026, 11, 23, 21)) == 0.5


def test_years_beyond_the_library_fall_back_to_weekends():
    assert is_working_day(datetime(2031, 3, 3).date())  # a Monday
    assert not is_working_day(datetime(2031, 3, 2).date())  # a Sunday


def test_days_are_counted_in_beijing_time():
    from datetime import UTC

    # 20:00 UTC on Friday is already Saturday in Beijing: counting starts on Monday.
    friday_evening_utc = datetime(2026, 11, 20, 20, tzinfo=UTC)
    assert add_working_days(friday_evening_utc, 1) == at(2026, 11, 24, 0)
