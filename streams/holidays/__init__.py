"""The State Council's holiday notices (国务院办公厅关于部分节假日安排的通知) as data the project owns.

One TOML file per year, ``<year>.toml``: the days off of each holiday and the adjusted working days
(调休上班). A year is added when its notice is published, usually in the autumn before; until then
`Notice.for_year` returns None for it and the calendar says so (see streams/calendar.py).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent


class NoticeError(ValueError):
    """A notice file that cannot be read as one, named with what is wrong."""


@dataclass(frozen=True)
class Notice:
    year: int
    source: str
    holidays: dict[date, str]  # day off -> holiday name
    working_days: dict[date, str]  # 调休 working day -> the holiday it pays for

    def is_working_day(self, day: date) -> bool:
        if day in self.working_days:
            return True
        return day.weekday() < 5 and day not in self.holidays

    @classmethod
    def read(cls, path: Path) -> Notice:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            year = int(data["year"])
            holidays = _days(data.get("holidays", {}))
            working = _days(data.get("working_days", {}))
        except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as exc:
            raise NoticeError(f"{path}: not a holiday notice: {exc}") from exc
        stray = [d for d in (*holidays, *working) if d.year != year]
        if stray or set(holidays) & set(working) or path.stem != str(year):
            raise NoticeError(f"{path}: days outside {year}, or a day both off and worked: {stray}")
        return cls(year, str(data.get("source", "")), holidays, working)

    @staticmethod
    @cache
    def for_year(year: int) -> Notice | None:
        """The shipped notice for ``year``, or None when none is shipped yet."""
        path = DATA_DIR / f"{year}.toml"
        return Notice.read(path) if path.exists() else None


def covered_years() -> list[int]:
    return sorted(int(p.stem) for p in DATA_DIR.glob("*.toml") if p.stem.isdigit())


def _days(table: dict) -> dict[date, str]:
    days: dict[date, str] = {}
    for name, listed in table.items():
        for day in listed:
            if not isinstance(day, date):
                raise ValueError(f"{name}: {day!r} is not a date (write 2026-10-01, unquoted)")
            days[day] = name
    return days
