from datetime import date, datetime, timedelta

import pytest

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


def test_an_adjusted_saturday_is_a_working_day():
    # 2026's Spring Festival is paid back on Saturday 28 February (调休上班).
    saturday = at(2026, 2, 28).date()
    assert saturday.weekday() == 5 and is_working_day(saturday)
    # A deadline running into that weekend counts the Saturday: Friday 27 Feb + 1 is Saturday 28.
    assert add_working_days(at(2026, 2, 27), 1) == at(2026, 2, 28)


def test_a_deadline_across_national_day_counts_the_adjusted_saturday():
    # Friday 25 Sept starts 中秋; Sunday 20 Sept and Saturday 10 Oct are worked. From Thursday 24 Sept,
    # 3 working days: 28, 29, 30 September; 5 more: 8, 9, 10 (Saturday), 12, 13 October.
    assert add_working_days(at(2026, 9, 24), 3) == at(2026, 9, 30)
    assert add_working_days(at(2026, 9, 24), 8) == at(2026, 10, 13)
    assert working_days_between(at(2026, 9, 30), at(2026, 10, 12)) == 4.0


def test_the_shipped_notices_agree_with_the_package_they_were_taken_from():
    import chinese_calendar

    from streams.holidays import Notice, covered_years

    years = covered_years()
    assert years[0] <= 2024 and years[-1] >= 2026
    for year in years:
        notice = Notice.for_year(year)
        day = date(year, 1, 1)
        while day.year == year:
            assert notice.is_working_day(day) == chinese_calendar.is_workday(day), day
            day += timedelta(days=1)


def test_a_new_years_notice_is_read_from_its_file(tmp_path):
    from streams.holidays import Notice

    path = tmp_path / "2030.toml"
    path.write_text(
        'year = 2030\nsource = "test"\n[holidays]\n"国庆节" = [2030-10-01, 2030-10-02]\n'
        '[working_days]\n"国庆节" = [2030-10-12]\n',
        encoding="utf-8",
    )
    notice = Notice.read(path)
    assert not notice.is_working_day(date(2030, 10, 1))  # a Tuesday off
    assert notice.is_working_day(date(2030, 10, 12))  # a Saturday worked
    assert notice.is_working_day(date(2030, 10, 3)) and not notice.is_working_day(date(2030, 10, 13))


def test_a_malformed_notice_is_named(tmp_path):
    from streams.holidays import Notice, NoticeError

    path = tmp_path / "2030.toml"
    path.write_text('year = 2030\n[holidays]\n"国庆节" = ["2030-10-01"]\n', encoding="utf-8")
    with pytest.raises(NoticeError, match="2030.toml.*not a date"):
        Notice.read(path)


def test_a_year_without_a_notice_warns_and_keeps_the_statutes_holidays(caplog):
    from streams import calendar

    calendar.is_working_day.cache_clear()
    calendar._warn_uncovered.cache_clear()
    with caplog.at_level("WARNING", logger="streams.calendar"):
        assert not calendar.is_working_day(date(2027, 10, 1))  # a Friday: 国庆节 by statute
        assert not calendar.is_working_day(date(2027, 2, 8))  # a Monday: 正月初三
        assert calendar.is_working_day(date(2027, 10, 4))  # a Monday: a bridging day only a notice grants
    assert "no holiday notice for 2027" in caplog.text and "statute" in caplog.text


def test_beyond_the_statutes_tables_only_weekends_are_days_off(caplog):
    from streams import calendar

    calendar.is_working_day.cache_clear()
    calendar._warn_uncovered.cache_clear()
    with caplog.at_level("WARNING", logger="streams.calendar"):
        assert calendar.is_working_day(date(2100, 10, 1))  # a Friday
        assert not calendar.is_working_day(date(2100, 10, 2))  # a Saturday
    assert "weekends only" in caplog.text
