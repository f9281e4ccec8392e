"""Working days on the Chinese government calendar: public holidays and adjusted working weekends.

Holidays come from the State Council's notices, shipped as data in streams/holidays/ (one file a
year, updated when a notice is published); for a year not there, from the `chinese-calendar`
package; for a year neither covers, from the statute's fixed holidays (streams/holidays/statute.py:
no bridging days, no 调休), and a warning says so once per year: deadlines then err early, never
late. Beyond the statute's tables, only weekends are days off.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

from streams.holidays import Notice
from streams.holidays.statute import provisional_notice

log = logging.getLogger(__name__)

# Days begin and end in Beijing time, whatever zone a moment is given in.
CHINA = ZoneInfo("Asia/Shanghai")


@lru_cache(maxsize=4096)
def is_working_day(day: date) -> bool:
    if (notice := Notice.for_year(day.year)) is not None:
        return notice.is_working_day(day)
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        pass
    _warn_uncovered(day.year)
    if (provisional := provisional_notice(day.year)) is not None:
        return provisional.is_working_day(day)
    return day.weekday() < 5


@lru_cache(maxsize=64)
def _warn_uncovered(year: int) -> None:
    kept = "the statute's fixed holidays (no 调休)" if provisional_notice(year) else "weekends only"
    log.warning(
        "no holiday notice for %d in streams/holidays/ (nor in chinese-calendar): counting %s as "
        "days off until the State Council's notice is added",
        year,
        kept,
    )


def add_working_days(start: datetime, days: float) -> datetime:
    """The moment ``days`` working days after ``start``; whole days end at the same clock time.

    Time on a non-working day counts from the next working day's start, as an application handed
    in on a Sunday is counted from Monday.
    """
    moment = start.astimezone(CHINA)
    if not is_working_day(moment.date()):
        moment = _next_working_day_start(moment)
    whole, fraction = int(days), days - int(days)
    for _ in range(whole):
        moment += timedelta(days=1)
        while not is_working_day(moment.date()):
            moment += timedelta(days=1)
    if fraction:
        moment += timedelta(days=fraction)
        while not is_working_day(moment.date()):
            moment += timedelta(days=1)
    return moment


def working_days_between(start: datetime, end: datetime) -> float:
    """Working days elapsed from ``start`` to ``end`` (days off do not count), to the second."""
    if end <= start:
        return 0.0
    total = 0.0
    cursor, end = start.astimezone(CHINA), end.astimezone(CHINA)
    while cursor < end:
        day_end = datetime.combine(cursor.date() + timedelta(days=1), datetime.min.time(), cursor.tzinfo)
        stop = min(day_end, end)
        if is_working_day(cursor.date()):
            total += (stop - cursor).total_seconds() / 86400
        cursor = stop
    return total


def _next_working_day_start(moment: datetime) -> datetime:
    day = moment.date() + timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, datetime.min.time(), moment.tzinfo)
