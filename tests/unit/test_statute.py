"""The statute's fixed holidays, the provisional calendar of a year whose notice is not out yet."""

from __future__ import annotations

from datetime import date

import pytest

from streams.holidays import Notice
from streams.holidays.statute import provisional_notice, qingming, statutory_days


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_statutory_day_is_a_day_off_in_the_published_notice(year):
    notice = Notice.for_year(year)
    assert notice is not None
    for day, name in statutory_days(year).items():
        assert notice.holidays.get(day) == name, (
            f"{day} ({name}) is not a {name} day off in the {year} notice"
        )


def test_the_statute_names_thirteen_days_off_a_year():
    assert len(statutory_days(2027)) == 13


def test_2027s_lunar_holidays_and_solar_term():
    days = statutory_days(2027)
    spring = [d for d, name in days.items() if name == "春节"]
    assert spring == [date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8)]  # 除夕 to 初三
    assert days[date(2027, 6, 9)] == "端午节"
    assert days[date(2027, 9, 15)] == "中秋节"
    assert qingming(2027) == date(2027, 4, 5)


def test_qingming_matches_the_published_notices():
    assert qingming(2025) == date(2025, 4, 4) and qingming(2026) == date(2026, 4, 5)


def test_a_provisional_notice_has_no_adjusted_working_days_and_names_its_source():
    notice = provisional_notice(2027)
    assert notice is not None and notice.working_days == {}
    assert "provisional" in notice.source
    assert provisional_notice(2024) is None and provisional_notice(2100) is None
