"""The days off the law itself fixes, for a year whose notice is not out yet.

The State Council's 全国年节及纪念日放假办法 (as revised in 2024, in force from 2025) names the public
holidays of every year: 元旦 on 1 January; 春节 from 除夕 to 正月初三; 清明节 on the day of the 清明
solar term; 劳动节 on 1 and 2 May; 端午节 on 五月初五; 中秋节 on 八月十五; 国庆节 on 1 to 3 October. The
yearly notice adds the bridging days and the weekend days worked in return (调休), which no rule
predicts, so a calendar built from the statute alone is provisional: it errs early (a bridging day
counted as worked), never late.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from lunardate import LunarDate

from streams.holidays import Notice

# The revision that gave 春节 four days and 劳动节 two; the lunar tables end with 2099.
FIRST_YEAR, LAST_YEAR = 2025, 2099
SOURCE = "全国年节及纪念日放假办法 (provisional: the year's notice is not out yet)"


def qingming(year: int) -> date:
    """The day of the 清明 solar term (4 or 5 April), by the usual formula for 2001–2099."""
    y = year % 100
    return date(year, 4, int(y * 0.2422 + 4.81) - y // 4)


def statutory_days(year: int) -> dict[date, str]:
    """Each day off the statute fixes in ``year``, with its holiday's name."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"the statute's holidays are computed for {FIRST_YEAR}–{LAST_YEAR}, not {year}")
    new_year = LunarDate(year, 1, 1).to_solar_date()
    days = {date(year, 1, 1): "元旦"}
    days.update({new_year + timedelta(days=d): "春节" for d in range(-1, 3)})  # 除夕 to 初三
    days[qingming(year)] = "清明节"
    days.update({date(year, 5, 1): "劳动节", date(year, 5, 2): "劳动节"})
    days[LunarDate(year, 5, 5).to_solar_date()] = "端午节"
    days[LunarDate(year, 8, 15).to_solar_date()] = "中秋节"
    days.update({date(year, 10, d): "国庆节" for d in (1, 2, 3)})
    return days


@cache
def provisional_notice(year: int) -> Notice | None:
    """The statute's days off as a notice without 调休, or None outside the years it covers."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return Notice(year, SOURCE, statutory_days(year), {})
